package io.tsync.report;

import io.tsync.transport.ConnectTimes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
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
    private final Busy busy = new Busy();
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
        return hosts.computeIfAbsent(name, n -> new HostClock(n, clock, busy));
    }

    /** How many hosts are in each phase now, and the most there were at once: the forks busy at peak. */
    private static final class Busy {
        private final int[] now = new int[Phase.values().length];
        private final int[] peak = new int[Phase.values().length];
        private int all;
        private int allPeak;

        synchronized void move(Phase from, Phase to) {
            if (from == to) {
                return;
            }
            if (from != null) {
                now[from.ordinal()]--;
                all--;
            }
            if (to != null) {
                now[to.ordinal()]++;
                peak[to.ordinal()] = Math.max(peak[to.ordinal()], now[to.ordinal()]);
                all++;
                allPeak = Math.max(allPeak, all);
            }
        }

        synchronized int peak(Phase p) {
            return peak[p.ordinal()];
        }

        synchronized int peak() {
            return allPeak;
        }
    }

    /** One host's clock: which phase it is in since when, and the time each phase and step took. */
    public static final class HostClock {
        private final String name;
        private final LongSupplier clock;
        private final Busy busy;
        private final EnumMap<Phase, Long> phases = new EnumMap<>(Phase.class);
        private final EnumMap<Phase, Long> remote = new EnumMap<>(Phase.class);
        private final EnumSet<Phase> remoteUnknown = EnumSet.noneOf(Phase.class);
        private final List<StepTime> steps = new ArrayList<>();
        private Phase current;
        private long since;
        private long stepSince;
        private ConnectTimes connect;

        HostClock(String name, LongSupplier clock, Busy busy) {
            this.name = name;
            this.clock = clock;
            this.busy = busy;
        }

        /** The host enters {@code phase} now; the phase it was in ends. */
        public synchronized void enter(Phase phase) {
            long now = clock.getAsLong();
            close(now);
            busy.move(current, phase);
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
            busy.move(current, null);
            current = null;
        }

        /** Adds time measured elsewhere (a poll's share of the wait). */
        public synchronized void add(Phase phase, long nanos) {
            phases.merge(phase, nanos, Long::sum);
        }

        /**
         * A probe run in {@code phase} timed itself on the host: {@code nanos} of the phase were its run there,
         * or (empty) its shell could not tell, and the phase's remote time stays unknown.
         */
        public synchronized void remote(Phase phase, OptionalLong nanos) {
            if (nanos.isPresent()) {
                remote.merge(phase, nanos.getAsLong(), Long::sum);
            } else {
                remoteUnknown.add(phase);
            }
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
            Map<Phase, ProbeTime> probes = new EnumMap<>(Phase.class);
            for (Phase ph : remoteUnknown) {
                probes.put(ph, new ProbeTime(null, p.getOrDefault(ph, 0.0)));
            }
            remote.forEach((ph, n) -> probes.putIfAbsent(ph, new ProbeTime(n / 1e9, p.getOrDefault(ph, 0.0))));
            return new HostTimes(name, p, List.copyOf(steps), connect, probes);
        }
    }

    /**
     * A phase whose probe timed itself on the host: {@code remoteSeconds} of its {@code phaseSeconds} ran there
     * (null when the host's shell could not tell); the rest went to the channel, the transfer and the controller.
     */
    public record ProbeTime(Double remoteSeconds, double phaseSeconds) {
        /** The phase's time off the host; null when the remote time is unknown. */
        public Double transferSeconds() {
            return remoteSeconds == null ? null : Math.max(0, phaseSeconds - remoteSeconds);
        }
    }

    /** The time one step took on one host. */
    public record StepTime(String step, double seconds) {}

    /**
     * What one host spent, per phase (seconds), per step, its connection's parts (null when unknown), and
     * how its self-timing probes' phases divided between the host and the rest.
     */
    public record HostTimes(String host, Map<Phase, Double> phases, List<StepTime> steps, ConnectTimes connect, Map<Phase, ProbeTime> probes) {
        public HostTimes {
            phases = Map.copyOf(phases);
            steps = List.copyOf(steps);
            probes = Map.copyOf(probes);
        }

        public double seconds(Phase p) {
            return phases.getOrDefault(p, 0.0);
        }

        public double total() {
            return phases.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * One phase over the whole run: host-seconds spent in it, its share of all host-seconds, the forks it kept busy
     * on average (its host-seconds over the seconds hosts were worked on) and at most at once (0 for time added
     * after the fact, as the wait's polls), and for a self-timing probe's phase the host-seconds on the hosts and
     * off them, summed over the {@code timedHosts} whose shell could tell (null when none could).
     */
    public record PhaseTotal(Phase phase, double hostSeconds, double share, double busyForks, int peakForks, Double remoteHostSeconds,
                             Double transferHostSeconds, int timedHosts) {}

    /** The whole run: wall time, its segments, every host, the phase totals and how busy the forks were (on average, at most). */
    public record RunTimes(double wallSeconds, Map<String, Double> segments, List<HostTimes> hosts, List<PhaseTotal> phases,
                           double busyForks, int peakForks, int forks) {
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
        // host-seconds over the wall time of the part of the run where hosts were worked on
        double hostsWall = seg.get("hosts") + seg.get("wait");
        List<PhaseTotal> totals = new ArrayList<>();
        for (Phase p : Phase.values()) {
            double s = hs.stream().mapToDouble(h -> h.seconds(p)).sum();
            if (s > 0) {
                List<ProbeTime> timed = hs.stream().map(h -> h.probes().get(p)).filter(t -> t != null && t.remoteSeconds() != null).toList();
                Double remote = timed.isEmpty() ? null : timed.stream().mapToDouble(ProbeTime::remoteSeconds).sum();
                Double transfer = timed.isEmpty() ? null : timed.stream().mapToDouble(ProbeTime::transferSeconds).sum();
                totals.add(new PhaseTotal(p, s, all > 0 ? s / all : 0, hostsWall > 0 ? s / hostsWall : 0, busy.peak(p), remote, transfer,
                        timed.size()));
            }
        }
        double avg = hostsWall > 0 ? all / hostsWall : 0;
        return new RunTimes((now - jvmStart) / 1e9, seg, hs, totals, avg, busy.peak(), forks);
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
                    ProbeTime probe = h.probes().get(p);
                    if (probe != null) {
                        part += probe.remoteSeconds() == null ? " (remote unknown)"
                                : String.format(Locale.ROOT, " (remote %.2f, transfer %.2f)", probe.remoteSeconds(), probe.transferSeconds());
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
        if (!t.phases().isEmpty()) {
            // the forks busy: on average over the hosts' part of the run, and at most at once
            b.append(String.format(Locale.ROOT, "%-8s %6s %6s %10s %5s%n", "phase", "host-s", "share", "forks: avg", "peak"));
            for (PhaseTotal p : t.phases()) {
                b.append(String.format(Locale.ROOT, "%-8s %6.1f %5.0f%% %10.1f %5s", p.phase().label, p.hostSeconds(), 100 * p.share(), p.busyForks(),
                        p.peakForks() > 0 ? String.valueOf(p.peakForks()) : "-"));
                long entered = t.hosts().stream().filter(h -> h.seconds(p.phase()) > 0).count();
                if (p.remoteHostSeconds() != null) {
                    b.append(String.format(Locale.ROOT, "  remote %.2f, transfer %.2f", p.remoteHostSeconds(), p.transferHostSeconds()));
                    if (p.timedHosts() < entered) {
                        b.append(String.format(Locale.ROOT, " (%d of %d hosts timed)", p.timedHosts(), entered));
                    }
                }
                b.append('\n');
            }
            b.append(String.format(Locale.ROOT, "%-8s %6.1f %6s %10.1f %5d of %d forks%n", "all", t.phases().stream().mapToDouble(PhaseTotal::hostSeconds).sum(),
                    "", t.busyForks(), t.peakForks(), t.forks()));
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
            pm.put("busyForks", round(p.busyForks()));
            pm.put("peakForks", p.peakForks());
            if (p.remoteHostSeconds() != null) {
                pm.put("remoteHostSeconds", round(p.remoteHostSeconds()));
                pm.put("transferHostSeconds", round(p.transferHostSeconds()));
                pm.put("timedHosts", p.timedHosts());
            }
            phases.add(pm);
        }
        m.put("phases", phases);
        m.put("forks", t.forks());
        m.put("busyForks", round(t.busyForks()));
        m.put("peakForks", t.peakForks());
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
        if (!h.probes().isEmpty()) {
            Map<String, Object> probes = new LinkedHashMap<>();
            for (Phase p : Phase.values()) {
                ProbeTime pt = h.probes().get(p);
                if (pt != null) {
                    Map<String, Object> pm = new LinkedHashMap<>();
                    pm.put("remoteSeconds", pt.remoteSeconds() == null ? null : round(pt.remoteSeconds()));
                    pm.put("transferSeconds", pt.transferSeconds() == null ? null : round(pt.transferSeconds()));
                    probes.put(p.label, pm);
                }
            }
            m.put("probes", probes);
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
