package io.tsync.plan;

import io.tsync.facts.Facts;
import io.tsync.model.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The facts a saved plan was made from, as named items ("file /etc/chrony/chrony.conf" to the
 * SHA-256 of its content), and the step signatures it holds; pure. Whatever derives from a key
 * (a key file's hash, a key file to write) is an HMAC under the plan's salt, never a plain hash.
 */
public final class PlanFacts {
    private PlanFacts() {}

    /** Every fact the planner reads, one item each, sorted by name. */
    public static Map<String, String> items(Facts f, String salt) {
        Map<String, String> m = new TreeMap<>();
        m.put("os", f.osId() + " " + f.osVersionId() + (f.osIdLike() == null || f.osIdLike().isEmpty() ? "" : " (like " + f.osIdLike() + ")"));
        m.put("timezone", String.valueOf(f.timezone()));
        m.put("tz database", f.tzdb() ? "present" : "absent");
        f.packages().forEach((p, v) -> m.put("package " + p, v));
        f.units().forEach((name, u) -> m.put("unit " + name, u.id() + " " + u.loadState() + ", " + u.activeState() + ", " + u.unitFileState()
                + (u.conditionResult() == null || u.conditionResult().isEmpty() ? "" : ", condition " + u.conditionResult())));
        f.files().forEach((path, content) -> m.put("file " + path, Sha256.hex(content)));
        f.keyFiles().forEach((path, k) -> m.put("key file " + path, k.owner() + ":" + k.group() + " " + k.mode() + " "
                + (k.sha256() == null ? "unread" : hmac(salt, k.sha256()))));
        putList(m, "restart pending", new TreeSet<>(f.restartPending()));
        putList(m, "timesyncd drop-ins", f.timesyncdDropins());
        putList(m, "masked on removal", new TreeSet<>(f.maskedOnRemoval()));
        putList(m, "ptp devices", f.ptpDevices());
        putList(m, "package managers", f.packageManagers());
        m.put("clock control", "CAP_SYS_TIME " + f.clock().capSysTime() + ", chronyd -x " + f.clock().chronydX());
        return m;
    }

    private static void putList(Map<String, String> m, String name, Iterable<String> values) {
        String joined = String.join(" ", values);
        if (!joined.isEmpty()) {
            m.put(name, joined);
        }
    }

    /** SHA-256 over the items, each "name=value\n" in name order. */
    public static String fingerprint(Map<String, String> items) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(items).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return Sha256.hex(sb.toString());
    }

    /**
     * What differs between the facts of the plan and the facts now, in an operator's words
     * ("/etc/chrony/chrony.conf differs", "unit chrony.service was ..., now ..."); empty when
     * nothing does.
     */
    public static List<String> differences(Map<String, String> then, Map<String, String> now) {
        List<String> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(then.keySet());
        names.addAll(now.keySet());
        for (String n : names) {
            String a = then.get(n);
            String b = now.get(n);
            if (a != null && a.equals(b)) {
                continue;
            }
            if (n.startsWith("file ") || n.startsWith("key file ")) {
                String what = n.startsWith("file ") ? n.substring(5) : "key file " + n.substring(9);
                out.add(what + (a == null ? " was created" : b == null ? " was removed" : " differs"));
            } else if (a == null) {
                out.add(n + " appeared (" + b + ")");
            } else if (b == null) {
                out.add(n + " is gone (was " + a + ")");
            } else {
                out.add(n + " was " + a + ", now " + b);
            }
        }
        return out;
    }

    /** A step as a saved plan holds it: content only as a hash (config) or an HMAC under the salt (keys). */
    public static SavedPlan.PlannedStep signature(int play, Step s, String salt) {
        String sha = s instanceof Step.WriteConfig w ? Sha256.hex(w.content()) : null;
        String mac = s instanceof Step.WriteKeys k && k.content() != null ? hmac(salt, k.content().reveal()) : null;
        return new SavedPlan.PlannedStep(play, s.getClass().getSimpleName(), s.title(), s.reason(), sha, mac);
    }

    /** Whether two signatures do the same thing (the reason's words may differ). */
    public static boolean same(SavedPlan.PlannedStep a, SavedPlan.PlannedStep b) {
        return a.play() == b.play() && a.step().equals(b.step()) && a.title().equals(b.title())
                && java.util.Objects.equals(a.sha256(), b.sha256()) && java.util.Objects.equals(a.hmac(), b.hmac());
    }

    /** HMAC-SHA256 with the hex {@code salt} as its key. */
    public static String hmac(String salt, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(salt), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
