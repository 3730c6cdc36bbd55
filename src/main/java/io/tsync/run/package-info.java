/**
 * The work of a run, below the commands: apply, status, facts and the Prometheus exporter share it.
 *
 * <p>The pipeline: <b>load</b> (playbook, inventory, vars; {@link Targets}) →
 * <b>facts</b> (one probe per host) → <b>plan</b> (the pure {@code Planner}) → <b>render</b> (config
 * files) → <b>execute</b> (the {@code Executor}, host by host in parallel) → <b>report</b> (recap, JSON,
 * JUnit; then, with {@code --wait}, poll until synced). {@link Fleet} selects the hosts
 * and connects to them, gathers facts and status and awaits sync; the commands in {@code io.tsync.cli}
 * parse options, call it and print.
 */
package io.tsync.run;
