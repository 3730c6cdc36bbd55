package io.tsync.report;

import io.tsync.transport.ConnectTimes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Where one run's time went, as Ansible's {@code profile_tasks} and Terraform's per-resource
 * elapsed times show it: per host the time spent in each {@link Phase} (connecting, split into
 * TCP, key exchange and authentication; gathering facts; waiting for locks; each step; waiting
 * for sync), and per run the sequence of the run's own segments (JVM start, loading, the hosts,
 * the wait, the report), which add up to its wall time. One instance per run, shared by the
 * threads that run hosts: its recorders are thread-safe.
 */
public final class Timings {
    /** What a host spends time on. A host is in exactly one phase at a time, so a host's phases add up to its time. */
    public enum Phase {
        CONNECT("connect"), FACTS("facts"), PLAN("plan"), STATUS("status"), LOCK("lock"), STEPS("steps"), SYNC("sync"), OTHER("other");

        public final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    /** The run's own segments, in the order they happen; they add up to the run's wall time. */
    public static final List<String> SEGMENTS = List.of("startup", "load", "hosts", "wait", "report");

    private final LongSupplier clock;
    private final long jvmStart;
    private final int forks;
    private final Map<String, HostClock> hosts = new ConcurrentHashMap<>();
    private final Map<String, Long> segments = new LinkedHashMap<>();
    private String segment;
    private long segmentSince;
    private long end = -1;

    /**
     * @param clock     nanoseconds, monotonic ({@code System::nanoTime}); a test passes its own
     * @param jvmStart  when the run began on that clock: the JVM's start, so startup counts too
     */
    public Timings(LongSupplier clock, long jvmStart, int forks) {
        this.clock = clock;
        this.jvmStart = jvmStart;
        this.forks = forks;
        this.segment = "startup";
        this.segmentSince = jvmStart;
    }

    /** A run measured from this JVM's start on {@link System#nanoTime}. */
    public static Timings sinceJvmStart(int forks) {
        long uptimeNanos = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        return new Timings(System::nanoTime, System.nanoTime() - uptimeNanos, forks);
    }

    /** The run enters {@code next} (one of {@link #SEGMENTS}); the current segment ends now. */
    public synchronized void segment(String next) {
        long now = clock.getAsLong();
        segments.merge(segment, now - segmentSince, Long::sum);
        segment = next;
        segmentSince = now;
    }

    /** The run is over: the last segment ends and the wall time is fixed. */
    public synchronized void finish() {
        if (end < 0) {
            segment(segment);
            end = clock.getAsLong();
        }
    }

    /** The recorder of one host, created on first use. */
    public HostClock host(String name) {
        return hosts.computeIfAbsent(name, n -> new HostClock(n, clock));
    }

    /** One host's clock: which phase it is in since when, and the time each phase and step took. */
    public static final class HostClock {
        private final String name;
        private final LongSupplier clock;
        private final EnumMap<Phase, Long> phases = new EnumMap<>(Phase.class);
        private final List<StepTime> steps = new ArrayList<>();
        private Phase current;
        private long since;
        private long stepSince;
        private ConnectTimes connect;

        HostClock(String name, LongSupplier clock) {
            this.name = name;
            this.clock = clock;
        }

        /** The host enters {@code phase} now; the phase it was in ends. */
        public synchronized void enter(Phase phase) {
            long now = clock.getAsLong();
            close(now);
            current = phase;
            since = now;
            stepSince = now;
        }

        /** A step ended now: it took the time since the previous step ended or the steps began. */
        public synchronized void stepDone(String title) {
            long now = clock.getAsLong();
            steps.add(new StepTime(title, (now - stepSince) / 1e9));
            stepSince = now;
        }

        /** The host's work is over (until it enters a phase again, as when apply --wait polls it). */
        public synchronized void leave() {
            close(clock.getAsLong());
            current = null;
        }

        /** Adds time measured elsewhere (a poll's share of the wait). */
        public synchronized void add(Phase phase, long nanos) {
            phases.merge(phase, nanos, Long::sum);
        }

        /** How the connection's time divided into TCP, key exchange and authentication. */
        public synchronized void connected(ConnectTimes times) {
            connect = connect == null ? times : connect;
        }

        private void close(long now) {
            if (current != null) {
                phases.merge(current, now - since, Long::sum);
            }
        }

        synchronized HostTimes snapshot() {
            Map<Phase, Double> p = new EnumMap<>(Phase.class);
            long open = current == null ? 0 : clock.getAsLong() - since;
            for (Phase ph : Phase.values()) {
                long n = phases.getOrDefault(ph, 0L) + (ph == current ? open : 0);
                if (n > 0) {
                    p.put(ph, n / 1e9);
                }
            }
            return new HostTimes(name, p, List.copyOf(steps), connect);
        }
    }

    /** The time one step took on one host. */
    public record StepTime(String step, double seconds) {}

    /** What one host spent, per phase (seconds), per step, and its connection's parts (null when unknown). */
    public record HostTimes(String host, Map<Phase, Double> phases, List<StepTime> steps, ConnectTimes connect) {
        public HostTimes {
            phases = Map.copyOf(phases);
            steps = List.copyOf(steps);
        }

        public double seconds(Phase p) {
            return phases.getOrDefault(p, 0.0);
        }

        public double total() {
            return phases.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** One phase over the whole run: host-seconds spent in it, its share of all host-seconds. */
    public record PhaseTotal(Phase phase, double hostSeconds, double share) {}

    /** The whole run: wall time, its segments, every host, the phase totals and how busy the forks were. */
    public record RunTimes(double wallSeconds, Map<String, Double> segments, List<HostTimes> hosts, List<PhaseTotal> phases,
                           double busyForks, int forks) {
        /** The {@code n} hosts that took longest, longest first. */
        public List<HostTimes> slowest(int n) {
            return hosts.stream().sorted(Comparator.comparingDouble(HostTimes::total).reversed().thenComparing(HostTimes::host)).limit(n).toList();
        }
    }

    /** The figures so far (the run's wall time up to now unless {@link #finish} was called). */
    public synchronized RunTimes snapshot() {
        long now = end >= 0 ? end : clock.getAsLong();
        Map<String, Double> seg = new LinkedHashMap<>();
        for (String s : SEGMENTS) {
            long n = segments.getOrDefault(s, 0L) + (end < 0 && s.equals(segment) ? now - segmentSince : 0);
            seg.put(s, n / 1e9);
        }
        List<HostTimes> hs = hosts.values().stream().map(HostClock::snapshot).sorted(Comparator.comparing(HostTimes::host)).toList();
        double all = hs.stream().mapToDouble(HostTimes::total).sum();
        List<PhaseTotal> totals = new ArrayList<>();
        for (Phase p : Phase.values()) {
            double s = hs.stream().mapToDouble(h -> h.seconds(p)).sum();
            if (s > 0) {
                totals.add(new PhaseTotal(p, s, all > 0 ? s / all : 0));
            }
        }
        // host-seconds over the wall time of the part of the run where hosts were worked on
        double hostsWall = seg.get("hosts") + seg.get("wait");
        double busy = hostsWall > 0 ? all / hostsWall : 0;
        return new RunTimes((now - jvmStart) / 1e9, seg, hs, totals, busy, forks);
    }

    // ---------------------------------------------------------------- output

    /** The terminal's summary after the recap: the five slowest hosts, the phase totals, the run's segments. */
    public static String summary(RunTimes t) {
        StringBuilder b = new StringBuilder("\nTIMINGS\n");
        List<HostTimes> slow = t.slowest(5);
        int w = slow.stream().mapToInt(h -> h.host().length()).max().orElse(4);
        for (HostTimes h : slow) {
            b.append(String.format(Locale.ROOT, "%-" + w + "s %7.2f s ", h.host(), h.total()));
            List<String> parts = new ArrayList<>();
            for (Phase p : Phase.values()) {
                if (h.seconds(p) > 0) {
                    String part = String.format(Locale.ROOT, "%s %.2f", p.label, h.seconds(p));
                    if (p == Phase.CONNECT && h.connect() != null) {
                        part += String.format(Locale.ROOT, " (tcp %.2f, kex %.2f, auth %.2f)", h.connect().tcpSeconds(), h.connect().kexSeconds(),
                                h.connect().authSeconds());
                    }
                    parts.add(part);
                }
            }
            b.append(String.join(", ", parts));
            h.steps().stream().max(Comparator.comparingDouble(StepTime::seconds))
                    .ifPresent(s -> b.append(String.format(Locale.ROOT, "; slowest step: %s %.2f s", s.step(), s.seconds())));
            b.append('\n');
        }
        if (t.hosts().size() > slow.size()) {
            b.append("(the ").append(slow.size()).append(" slowest of ").append(t.hosts().size()).append(" hosts)\n");
        }
        List<String> ph = t.phases().stream()
                .map(p -> String.format(Locale.ROOT, "%s %.1f s (%.0f%%)", p.phase().label, p.hostSeconds(), 100 * p.share())).toList();
        if (!ph.isEmpty()) {
            b.append("phases, host-seconds: ").append(String.join(", ", ph))
                    .append(String.format(Locale.ROOT, "; %.1f of %d forks busy on average%n", t.busyForks(), t.forks()));
        }
        List<String> seg = t.segments().entrySet().stream().filter(e -> e.getValue() >= 0.0005)
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())).toList();
        b.append(String.format(Locale.ROOT, "run: %.2f s = %s%n", t.wallSeconds(), String.join(" + ", seg)));
        return b.toString();
    }

    /** The {@code timings} member of a JSON report (docs/json.md). */
    public static Map<String, Object> json(RunTimes t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wallSeconds", round(t.wallSeconds()));
        Map<String, Object> seg = new LinkedHashMap<>();
        t.segments().forEach((k, v) -> seg.put(k, round(v)));
        m.put("segments", seg);
        List<Object> phases = new ArrayList<>();
        for (PhaseTotal p : t.phases()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("phase", p.phase().label);
            pm.put("hostSeconds", round(p.hostSeconds()));
            pm.put("share", round(p.share()));
            phases.add(pm);
        }
        m.put("phases", phases);
        m.put("forks", t.forks());
        m.put("busyForks", round(t.busyForks()));
        m.put("slowest", t.slowest(5).stream().map(HostTimes::host).toList());
        Map<String, Object> hosts = new LinkedHashMap<>();
        for (HostTimes h : t.hosts()) {
            hosts.put(h.host(), hostJson(h));
        }
        m.put("hosts", hosts);
        return m;
    }

    static Map<String, Object> hostJson(HostTimes h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalSeconds", round(h.total()));
        Map<String, Object> phases = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            if (h.phases().containsKey(p)) {
                phases.put(p.label, round(h.seconds(p)));
            }
        }
        m.put("phases", phases);
        if (h.connect() != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("tcpSeconds", round(h.connect().tcpSeconds()));
            c.put("kexSeconds", round(h.connect().kexSeconds()));
            c.put("authSeconds", round(h.connect().authSeconds()));
            m.put("connect", c);
        }
        List<Object> steps = new ArrayList<>();
        for (StepTime s : h.steps()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("step", s.step());
            sm.put("seconds", round(s.seconds()));
            steps.add(sm);
        }
        m.put("steps", steps);
        return m;
    }

    /** Milliseconds are the resolution that matters; more digits are noise in a report. */
    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
