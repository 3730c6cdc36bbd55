package io.tsync.plan;

import io.tsync.model.Secret;
import io.tsync.platform.Platform;

/**
 * One change to a host, with the reason it is needed. The closed set of everything tsync can do;
 * {@code Commands} (package exec) turns each into the remote command that does it.
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

    /**
     * Replace a config file atomically; {@code previous} is null when the file does not exist.
     * {@code unit} is the service that reads it: until that service is restarted, the host keeps a
     * note that it runs on the previous file.
     */
    record WriteConfig(String path, String unit, String content, String previous, String checkCommand, String reason) implements Step {
        public String title() {
            return "write " + path;
        }
    }

    /**
     * Replace a key file atomically with the platform's owner, group and mode. {@code content} is the
     * secret; a step's title, reason, diff and JSON never show it ({@link Secret#toString()}).
     * {@code content} is null when the keys' values were not read (status and validate plan without them).
     */
    record WriteKeys(String path, String unit, String owner, String group, String mode, Secret content, boolean exists,
                     String reason) implements Step {
        public String title() {
            return "write key file " + path;
        }
    }

    /**
     * Replace the file of CA certificates a daemon trusts for NTS ({@code nts_trusted_certs}) atomically, with the
     * platform's owner and mode. Certificates are public: the content may be shown.
     */
    record WriteTrustedCerts(String path, String unit, String owner, String group, String mode, String content, boolean exists,
                             String reason) implements Step {
        public String title() {
            return "write NTS trusted certificates " + path;
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

    /**
     * {@code forgetNtsIn}: chrony's ntsdumpdir, whose saved NTS keys and cookies are deleted between the stop and
     * the start (null: a plain restart). Set when the trusted certificates changed: chronyd saves its cookies when
     * it stops and reuses them when it starts, so without this a host would keep using a server whose certificate
     * it no longer trusts until the server rotates its keys.
     */
    record RestartService(String unit, String reason, String forgetNtsIn) implements Step {
        public RestartService(String unit, String reason) {
            this(unit, reason, null);
        }

        public String title() {
            return "restart " + unit;
        }
    }

    /** Wait (bounded) for chronyd's first measurements, then step the clock by the offset they show. */
    record StepClock(String reason) implements Step {
        public String title() {
            return "step clock (chronyc waitsync, then makestep)";
        }
    }
}
