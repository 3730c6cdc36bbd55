/**
 * {@code tsync status}: the probe script run on each host in one ssh exec ({@link io.tsync.status.StatusProbe}),
 * parsers for chronyc and ntpq output ({@link io.tsync.status.ChronyParsers}, {@link io.tsync.status.NtpqParsers}),
 * the per-host result ({@link io.tsync.status.HostStatus}) and its renderings as a text table
 * ({@link io.tsync.status.StatusTable}) and JSON ({@link io.tsync.status.StatusJson}). Nothing here does I/O.
 */
package io.tsync.status;
