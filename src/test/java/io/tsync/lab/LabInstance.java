package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One lab instance (lab/README.md, {@code TSYNC_LAB}): its hosts, its inventory and the tsync controller
 * inside its network namespace. {@code new LabInstance("lab")} is the default lab; other names are
 * independent labs (own namespaces, hosts and state) that can run beside it.
 */
public final class LabInstance {
    private final String name;
    private final Map<String, String> env;

    /**
     * @param base the instance's name; {@code TSYNC_LAB_SUFFIX} in the environment is appended to every
     *     name (the default lab's too), so a second checkout's tests can run beside labs of the same names
     */
    public LabInstance(String base) {
        String suffix = System.getenv().getOrDefault("TSYNC_LAB_SUFFIX", "");
        this.name = base + suffix;
        this.env = Map.of("TSYNC_LAB", name);
    }

    private Path state() {
        return name.equals("lab") ? Lab.ROOT.resolve("lab/.state") : Lab.ROOT.resolve("lab/.state-" + name);
    }

    /** The known_hosts file lab/up writes for this instance. */
    public Path knownHosts() {
        return name.equals("lab") ? Lab.ROOT.resolve("lab/known_hosts") : state().resolve("known_hosts");
    }

    /** The lab's private key (every host's root, deploy and ops accept it). */
    public Path key() {
        return state().resolve("id_ed25519");
    }

    public String name() {
        return name;
    }

    /** The inventory lab/up writes for this instance. */
    public Path inventory() {
        return name.equals("lab") ? Lab.ROOT.resolve("lab/inventory.yaml") : state().resolve("inventory.yaml");
    }

    /** Starts the lab with at least n hosts (idempotent) and returns their names. */
    public List<String> up(int n, String... options) {
        List<String> cmd = new ArrayList<>(List.of("lab/up", String.valueOf(n)));
        cmd.addAll(Arrays.asList(options));
        Lab.checked(Duration.ofMinutes(15), env, cmd.toArray(String[]::new));
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            hosts.add("h" + i);
        }
        return hosts;
    }

    public void down() {
        Lab.checked(Duration.ofMinutes(3), env, "lab/down");
    }

    public void reset(String... hosts) {
        List<String> cmd = new ArrayList<>(List.of("lab/reset"));
        cmd.addAll(Arrays.asList(hosts));
        Lab.checked(Duration.ofMinutes(5), env, cmd.toArray(String[]::new));
    }

    public void stop(String host) {
        Lab.checked(Duration.ofMinutes(1), env, "lab/stop", host);
    }

    public void start(String host) {
        Lab.checked(Duration.ofMinutes(2), env, "lab/start", host);
    }

    public void upstreams(String verb) {
        Lab.checked(Duration.ofMinutes(1), env, "lab/upstreams", verb);
    }

    /** A host's network namespace (lab/lib.sh host_ns): where its packets can be dropped, outside the host. */
    public String netns(String host) {
        return (name.equals("lab") ? "tsync-" : "tsync-" + name + "-") + host;
    }

    /** Runs a shell command as root on a lab host. */
    public Lab.Run ssh(String host, String command) {
        return Lab.run(Duration.ofMinutes(2), List.of("lab/ssh", host, command), null, env);
    }

    public String sshOk(String host, String command) {
        Lab.Run r = ssh(host, command);
        if (r.exit() != 0) {
            fail("on " + host + ": " + command + " exited " + r.exit() + "\n" + r.all());
        }
        return r.out();
    }

    /**
     * A host's timezone as its /etc/localtime link names it: what tsync manages, read without
     * D-Bus (timedatectl's bus call times out when the machine is overloaded).
     */
    public String timezone(String host) {
        return sshOk(host, "readlink /etc/localtime | sed 's|^.*zoneinfo/||'").strip();
    }

    /** Runs the real tsync jar inside the lab's network namespace. */
    public Lab.Run tsync(String... args) {
        return tsyncWithEnv(Map.of(), args);
    }

    /** tsync with extra environment variables (secrets, SSH_AUTH_SOCK, HOME). */
    public Lab.Run tsyncWithEnv(Map<String, String> extra, String... args) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(extra);
        return Lab.run(Duration.ofMinutes(10), controller(args), null, all);
    }

    public Lab.Background tsyncInBackground(String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(controller(args)).directory(Lab.ROOT.toFile());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        return new Lab.Background(pb.start());
    }

    /**
     * tsync as {@link #tsync}, timed by bash's {@code time} around the java process alone (not the
     * lab/exec wrapper): the last stderr line is {@code wall SECONDS}.
     */
    public Lab.Run tsyncTimed(String... args) {
        List<String> java = controller(args);
        List<String> cmd = new ArrayList<>(List.of("lab/exec", "bash", "-c", "TIMEFORMAT='wall %R'; time \"$@\"", "bash"));
        cmd.addAll(java.subList(1, java.size()));
        return Lab.run(Duration.ofMinutes(10), cmd, null, env);
    }

    /** The seconds of a {@link #tsyncTimed} run. */
    public static double wall(Lab.Run r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^wall (\\d+\\.\\d+)$").matcher(r.err());
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        return last;
    }

    private static List<String> controller(String... args) {
        List<String> cmd = new ArrayList<>(List.of("lab/exec", "java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", Lab.JAR.toString()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Polls a host command until its output satisfies the condition, or fails naming what it waited for. */
    public String await(String host, String command, Predicate<String> ok, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Lab.Run r = ssh(host, command);
            last = r.all();
            if (r.exit() == 0 && ok.test(r.out())) {
                return r.out();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail(host + ": timed out after " + timeout.toSeconds() + " s waiting for " + what + "; last output:\n" + last);
        return last;
    }

    /** SSH logins the host's sshd accepted so far (its journal), not counting the one asking. */
    public int sshLogins(String host) {
        return Integer.parseInt(sshOk(host, "journalctl -t sshd -o cat --no-pager | grep -c 'Accepted publickey' || true").strip()) - 1;
    }

    /** Everything that must not change under --check: config files, timezone link, unit states, package states. */
    public String snapshot(String host) {
        return sshOk(host, "LC_ALL=C; sha256sum /etc/chrony/chrony.conf /etc/ntpsec/ntp.conf /etc/ntp.conf 2>/dev/null;"
                + " ls -l --time-style=full-iso /etc/chrony /etc/ntpsec 2>/dev/null; readlink /etc/localtime;"
                + " systemctl show -p ActiveState,UnitFileState,ActiveEnterTimestamp chrony ntpsec ntp systemd-timesyncd;"
                + " dpkg-query -W -f='${Package} ${Status}\\n' chrony ntpsec ntp systemd-timesyncd 2>/dev/null; true");
    }

    @Override
    public String toString() {
        return "lab instance " + name;
    }

    /** {@code f} on each of {@code hosts} at once, each given at most {@code max}; results in the hosts' order. */
    public static <T> Map<String, T> onHosts(List<String> hosts, Duration max, Function<String, T> f) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
        try {
            Map<String, Future<T>> futures = new LinkedHashMap<>();
            hosts.forEach(h -> futures.put(h, pool.submit(() -> f.apply(h))));
            Map<String, T> out = new LinkedHashMap<>();
            for (Map.Entry<String, Future<T>> e : futures.entrySet()) {
                out.put(e.getKey(), e.getValue().get(max.toMillis(), TimeUnit.MILLISECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
