package io.tsync.plan;

import io.tsync.platform.Platform;

/**
 * One change to a host, with the reason it is needed. The closed set of everything tsync can do;
 * {@link io.tsync.exec.Commands} turns each into the remote command that does it.
 */
public sealed interface Step {
    /** Why this step is in the plan, in words an operator reads in the report. */
    String reason();

    /** What the step does, short, e.g. "install chrony". */
    String title();

    record SetTimezone(String from, String to, String reason) implements Step {
        public String title() {
            return "set timezone " + to;
        }
    }

    record StopService(String unit, String reason) implements Step {
        public String title() {
            return "stop and disable " + unit;
        }
    }

    /** {@code packages}: the platform's package manager, whose lock the install waits for. */
    record InstallPackage(String pkg, Platform.PackageManager packages, String reason) implements Step {
        public String title() {
            return "install " + pkg;
        }
    }

    /** Replace a config file atomically; {@code previous} is null when the file does not exist. */
    record WriteConfig(String path, String content, String previous, String checkCommand, String reason) implements Step {
        public String title() {
            return "write " + path;
        }
    }

    record EnableService(String unit, String reason) implements Step {
        public String title() {
            return "enable " + unit;
        }
    }

    record StartService(String unit, String reason) implements Step {
        public String title() {
            return "start " + unit;
        }
    }

    record RestartService(String unit, String reason) implements Step {
        public String title() {
            return "restart " + unit;
        }
    }

    record StepClock(String reason) implements Step {
        public String title() {
            return "step clock (chronyc -a makestep)";
        }
    }
}
