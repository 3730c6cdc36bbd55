package io.tsync.status;

import java.util.Objects;

/**
 * One section of the output of {@link StatusProbe#command()}: what one command printed (stdout and stderr
 * merged) and its exit code.
 *
 * @param name section name, e.g. {@code chronyc-sources}
 * @param body the command's output, without trailing newlines
 * @param exitCode the command's exit code; 127 when the tool is not installed, 124 when it timed out,
 *     -1 when it printed too much, {@code null} when the section was cut off before its end marker
 */
public record ProbeSection(String name, String body, Integer exitCode) {
    /** Exit code the probe reports for a tool that is not installed. */
    public static final int NOT_INSTALLED = 127;
    /** Exit code of {@code timeout} when the tool took too long. */
    public static final int TIMED_OUT = 124;
    /** Exit code the probe reports when the tool printed more than {@link io.tsync.transport.Bounds#STATUS_COMMAND}. */
    public static final int TOO_LONG = -1;

    public ProbeSection {
        Objects.requireNonNull(name, "name");
        body = body == null ? "" : body;
    }

    /** Whether the tool ran (was installed) and exited 0. */
    public boolean ok() {
        return exitCode != null && exitCode == 0;
    }

    /** Whether the tool printed more than the probe reads (its output was dropped). */
    public boolean tooLong() {
        return exitCode != null && exitCode == TOO_LONG;
    }

    /** Whether the tool is not installed on the host. */
    public boolean notInstalled() {
        return exitCode != null && exitCode == NOT_INSTALLED;
    }
}
