package io.tsync.plan;

import java.util.List;
import java.util.Map;

/**
 * A plan made by {@code apply --check --out FILE}, applied later by {@code apply FILE} (Terraform's
 * {@code plan -out} / {@code apply FILE}). It holds no secret: file contents appear only as hashes,
 * key values and key files only as HMACs under the plan's own random {@code salt}.
 *
 * @param tsyncVersion the version of tsync that made it; another version refuses it
 * @param created      when it was made (ISO-8601 UTC)
 * @param playbook     the playbook's path as given and its SHA-256
 * @param inventory    the inventory's path (null in --local mode) and the SHA-256 over it and its group_vars/host_vars
 * @param templates    the --templates folder (null: the built-in ones) and the SHA-256 of the template set
 * @param salt         hex, random per plan: the HMAC key of every secret-derived value in the plan
 * @param keys         one per key source the plays use
 * @param hosts        the hosts it covers, inventory order
 * @param exitCode     what the check that made it exited with (0: nothing to do, 2: changes pending)
 */
public record SavedPlan(String tsyncVersion, String created, Input playbook, Input inventory, Input templates, String salt,
                        List<KeyDigest> keys, List<HostPlan> hosts, int exitCode) {
    public static final String SCHEMA = "tsync.plan/v1";

    public SavedPlan {
        keys = List.copyOf(keys);
        hosts = List.copyOf(hosts);
    }

    /** A file (or folder) the plan was made from and the SHA-256 of its content. */
    public record Input(String path, String sha256) {}

    /** A key of the playbook: where its value comes from, and HMAC-SHA256(salt, value). */
    public record KeyDigest(int id, String source, String hmac) {}

    /**
     * One host's plan.
     *
     * @param outcome "pending" (steps to run) or "ok" (nothing to change)
     * @param ok      managed items already right, as the check counted them
     * @param facts   what the plan was made from, by item ("file /etc/chrony/chrony.conf" to its
     *                SHA-256, "unit chrony.service" to its states, ...), so that a stale host is named with why
     * @param factsSha256 SHA-256 over {@code facts}
     * @param diff    the unified diff --diff printed (config files; a key file only as "changed"), or null
     */
    public record HostPlan(String host, String outcome, String platform, int ok, Map<String, String> facts, String factsSha256,
                           List<PlannedStep> steps, List<String> warnings, String diff) {
        public HostPlan {
            facts = Map.copyOf(facts);
            steps = List.copyOf(steps);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * One step as planned.
     *
     * @param play    the index of the play it belongs to in the host's plays
     * @param step    the step's kind (WriteConfig, RestartService, ...)
     * @param sha256  the SHA-256 of the file a WriteConfig writes, else null
     * @param hmac    HMAC-SHA256(salt, content) of the key file a WriteKeys writes, else null
     */
    public record PlannedStep(int play, String step, String title, String reason, String sha256, String hmac) {}
}
