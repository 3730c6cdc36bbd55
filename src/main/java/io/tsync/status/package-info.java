/**
 * {@code tsync status}: the probe script run on each host in one ssh exec ({@link StatusProbe}),
 * parsers for chronyc and ntpq output ({@link ChronyParsers}, {@link NtpqParsers}),
 * the per-host result ({@link HostStatus}) and its renderings as a text table
 * ({@link StatusTable}) and JSON ({@link StatusJson}). Nothing here does I/O.
 */
package io.tsync.status;
