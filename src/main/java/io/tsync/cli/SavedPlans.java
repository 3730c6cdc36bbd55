package io.tsync.cli;

import io.tsync.exec.HostJob;
import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.load.InvalidInputException;
import io.tsync.load.Problem;
import io.tsync.load.SavedPlanCodec;
import io.tsync.model.NtpKey;
import io.tsync.plan.Desired;
import io.tsync.plan.PlanFacts;
import io.tsync.plan.PlanRecorder;
import io.tsync.plan.SavedPlan;
import io.tsync.plan.Staleness;
import io.tsync.report.Json;
import io.tsync.run.PlanInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What apply does with saved plans: write one after --check --out, and check one before apply PLAN runs it. */
final class SavedPlans {
    private SavedPlans() {}

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** 32 random bytes, hex: the key of every HMAC in one plan, so that no two plans share a digest of the same key. */
    static String newSalt() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Options that make no sense with a saved plan, refused before anything is read. */
    static void refuseOptions(Path plan, FleetOptions fleet, Path out) throws InvalidInputException {
        List<Problem> p = new ArrayList<>();
        if (fleet.limit != null) {
            p.add(new Problem("--limit", 0, 0, "a saved plan applies to exactly the hosts it names; --limit " + fleet.limit + " was given",
                    "drop --limit, or make a plan for those hosts: tsync apply --check --out FILE --limit ... PLAYBOOK"));
        }
        if (fleet.slice != null) {
            p.add(new Problem("--slice", 0, 0, "a saved plan applies to exactly the hosts it names; --slice was given",
                    "make one plan per slice: tsync apply --check --out FILE --slice K/N PLAYBOOK"));
        }
        if (out != null) {
            p.add(new Problem("--out", 0, 0, plan + " is a saved plan already; --out writes a plan from a playbook",
                    "tsync apply --check --out FILE PLAYBOOK"));
        }
        if (!p.isEmpty()) {
            throw new InvalidInputException(p);
        }
    }

    /** The plan's hosts, in the plan's order, from this run's jobs; a host the inputs no longer select refuses the plan. */
    static List<HostJob> jobs(Path file, SavedPlan plan, List<HostJob> prepared) throws InvalidInputException {
        Map<String, HostJob> byName = new LinkedHashMap<>();
        prepared.forEach(j -> byName.put(j.host().name(), j));
        List<HostJob> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (SavedPlan.HostPlan h : plan.hosts()) {
            HostJob j = byName.get(h.host());
            if (j == null) {
                missing.add(h.host());
            } else {
                out.add(j);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(new Problem(file.toString(), 0, 0, "the plan names host(s) the playbook and inventory no longer select: "
                    + String.join(", ", missing), "plan again: tsync apply --check --out " + file + " PLAYBOOK"));
        }
        return out;
    }

    /** Every key the jobs' plays use, once per id and source, as HMAC(salt, value). */
    static List<SavedPlan.KeyDigest> keys(List<HostJob> jobs, String salt) {
        Map<String, SavedPlan.KeyDigest> out = new LinkedHashMap<>();
        for (HostJob j : jobs) {
            for (Desired d : j.targets()) {
                if (d.ntp() == null) {
                    continue;
                }
                for (NtpKey k : d.ntp().advanced().keys()) {
                    out.putIfAbsent(k.id() + " " + k.source(), new SavedPlan.KeyDigest(k.id(), k.source(),
                            PlanFacts.hmac(salt, k.value() == null ? "" : k.value().reveal())));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** The whole-plan refusal (exit 3): what differs between the plan's inputs and this run's, or null when nothing does. */
    static InvalidInputException stale(Path file, SavedPlan plan, Path playbook, Path inventory, Path templates, List<HostJob> jobs) {
        List<String> diffs;
        try {
            diffs = Staleness.whole(plan, PlanInputs.playbook(playbook), PlanInputs.inventory(inventory, playbook),
                    PlanInputs.templates(templates), version(), keys(jobs, plan.salt()));
        } catch (IOException e) {
            diffs = List.of("cannot read an input again: " + e.getMessage());
        }
        if (diffs.isEmpty()) {
            return null;
        }
        List<Problem> p = new ArrayList<>();
        for (String d : diffs) {
            p.add(new Problem(file.toString(), 0, 0, "the plan is stale: " + d, "plan again: tsync apply --check --out " + file + " " + playbook));
        }
        return new InvalidInputException(p);
    }

    /**
     * Writes the plan the check printed (atomically: a temporary file renamed), or says why not: a
     * plan covers every selected host, so a host that failed or was unreachable leaves none.
     *
     * @return false when no plan was written
     */
    static boolean write(Path out, Path playbook, Path inventory, Path templates, List<HostJob> jobs, List<HostResult> results,
                         PlanRecorder recorder, String salt, int exitCode) {
        List<String> missing = new ArrayList<>();
        List<SavedPlan.HostPlan> hosts = new ArrayList<>();
        for (HostResult r : results) {
            PlanRecorder.Recorded rec = recorder.of(r.host());
            if (rec == null || (r.outcome() != Outcome.OK && r.outcome() != Outcome.PENDING)) {
                missing.add(r.host() + " (" + r.outcome().name().toLowerCase(Locale.ROOT) + ")");
                continue;
            }
            hosts.add(new SavedPlan.HostPlan(r.host(), r.outcome() == Outcome.PENDING ? "pending" : "ok", r.platform(), r.ok(), rec.facts(),
                    PlanFacts.fingerprint(rec.facts()), rec.steps(), r.warnings(), r.diff()));
        }
        if (!missing.isEmpty()) {
            System.err.println("tsync: no plan written to " + out + ": a plan covers every selected host, and " + String.join(", ", missing)
                    + " could not be planned\n  fix: fix or --limit those hosts away, then plan again");
            return false;
        }
        try {
            SavedPlan plan = new SavedPlan(version(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), PlanInputs.playbook(playbook),
                    PlanInputs.inventory(inventory, playbook), PlanInputs.templates(templates), salt, keys(jobs, salt), hosts, exitCode);
            Path abs = out.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), ".tsync-plan", ".tmp");
            Files.writeString(tmp, Json.write(SavedPlanCodec.toJson(plan)) + "\n");
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("tsync: cannot write the plan " + out + ": " + e.getMessage());
            return false;
        }
        System.err.println("tsync: plan written to " + out + " (" + hosts.size() + " host(s)); apply exactly it with: tsync apply " + out);
        return true;
    }
}
