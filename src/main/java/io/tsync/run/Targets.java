package io.tsync.run;

import io.tsync.exec.HostJob;
import io.tsync.load.DesiredResolver;
import io.tsync.load.HostPatterns;
import io.tsync.load.InvalidInputException;
import io.tsync.load.KeyMaterial;
import io.tsync.load.LocalInventory;
import io.tsync.load.NtpChecks;
import io.tsync.load.PlaybookLoader;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.model.Play;
import io.tsync.model.Playbook;
import io.tsync.plan.Desired;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The load stage: playbook and inventory read and checked, each selected host with its desired states. */
public final class Targets {
    private Targets() {}

    /**
     * As {@link #prepare(Fleet, Path, Path, boolean)} without needing the keys' values (validate,
     * status). Key and known_hosts files are {@link Fleet#connector}'s to check, so validate (this
     * alone) runs without them.
     */
    public static Prepared prepare(Fleet fleet, Path playbookFile, Path templates) throws InvalidInputException {
        return prepare(fleet, playbookFile, templates, false);
    }

    /**
     * Everything that needs no connection: load, select, resolve per-host overrides, read the keys'
     * values ({@code needKeys}: a key whose value is not there is an error, else a warning). Throws
     * before any host is contacted.
     */
    public static Prepared prepare(Fleet fleet, Path playbookFile, Path templates, boolean needKeys) throws InvalidInputException {
        List<Problem> warnings = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Playbook pb = null;
        Inventory inv = null;
        try {
            pb = PlaybookLoader.load(playbookFile);
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        try {
            inv = fleet.loadInventory(playbookFile.toAbsolutePath().getParent());
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        if (templates != null && !Files.isDirectory(templates)) {
            problems.add(new Problem("--templates", 0, 0, templates + " is not a directory", "point --templates at a folder holding chrony.conf.ftl / ntp.conf.ftl"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Map<Host, List<Desired>> targets = new LinkedHashMap<>();
        for (Host h : inv.hosts()) {
            targets.put(h, new ArrayList<>());
        }
        for (Play play : pb.plays()) {
            List<Host> hosts = HostPatterns.select(inv, play.hosts());
            if (hosts.isEmpty()) {
                boolean local = inv.file().equals(LocalInventory.NAME);
                problems.add(new Problem(play.location().file(), play.location().line(), play.location().column(),
                        "play '" + play.name() + "' matches no host of " + (local ? "local mode" : "inventory " + inv.file()) + " (hosts: " + play.hosts() + ")",
                        local ? LocalInventory.hostsFix(inv) : "use host or group names defined in the inventory"));
                continue;
            }
            for (Host h : hosts) {
                try {
                    Desired d = DesiredResolver.resolve(play, h);
                    if (d.ntp() != null) {
                        addOnce(warnings, NtpChecks.warnings(d.ntp()));
                        List<Problem> keyProblems = new ArrayList<>();
                        List<Problem> keyWarnings = new ArrayList<>();
                        d = new Desired(d.timezone(), KeyMaterial.resolve(d.ntp(), System.getenv(), needKeys, keyProblems, keyWarnings));
                        addOnce(problems, keyProblems);
                        addOnce(warnings, keyWarnings);
                    }
                    targets.get(h).add(d);
                } catch (InvalidInputException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        List<Host> selected = fleet.limit(inv, targets.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList());
        List<HostJob> jobs = new ArrayList<>();
        for (Host h : selected) {
            jobs.add(new HostJob(h, targets.get(h)));
        }
        return new Prepared(inv, List.copyOf(jobs), List.copyOf(warnings));
    }

    /** Adds problems not yet listed: a play's key or warning is the same for each of its hosts. */
    private static void addOnce(List<Problem> to, List<Problem> from) {
        for (Problem p : from) {
            if (!to.contains(p)) {
                to.add(p);
            }
        }
    }
}
