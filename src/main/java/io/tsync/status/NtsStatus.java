package io.tsync.status;

import java.util.ArrayList;
import java.util.List;

/**
 * Why an NTS source gives no time: {@code chronyc -c -N authdata} (one line per source: name, mode, key id,
 * key type, key length, last, attempts, NAKs, cookies, cookie length) and, when an NTS source holds no
 * cookie, the last NTS and TLS lines chronyd logged since it started ("TLS handshake with ... failed : ... The certificate is NOT
 * trusted ..."). Both are sections of the status probe ({@link #SCRIPT}).
 */
public final class NtsStatus {
    private NtsStatus() {}

    /**
     * Probe lines, run after {@code chronyc sources} when it succeeded ({@code $c} is its exit code): the
     * journal is read only when an NTS source has no cookie.
     */
    static final String SCRIPT = "if [ \"$c\" = 0 ]; then run chronyc-authdata chronyc -c -N authdata;"
            // field 2 NTS and field 9 (cookies) 0; no single quotes: the caller may wrap the script in them
            + " if printf \"%s\\n\" \"$o\" | grep -q \"^[^,]*,NTS,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,0,\"; then"
            // only this run of chronyd: a failure before the last restart is no reason now
            + " run nts-log sh -c \"i=\\$(systemctl show -p InvocationID --value chrony chronyd 2>/dev/null | grep -m 1 .);"
            + " [ -n \\\"\\$i\\\" ] && journalctl -q \\\"_SYSTEMD_INVOCATION_ID=\\$i\\\" --no-pager -o cat 2>/dev/null"
            + " | grep -E \\\"NTS|TLS|certificate\\\" | tail -n 2\"; fi; fi";

    /** One line of {@code chronyc -c authdata}. */
    record Auth(String name, String mode, int attempts, int naks, int cookies) {}

    static List<Auth> parse(String body) {
        List<Auth> out = new ArrayList<>();
        for (String l : body.split("\\R")) {
            String[] f = l.strip().split(",");
            if (f.length < 10) {
                continue;
            }
            try {
                out.add(new Auth(f[0], f[1], Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8])));
            } catch (NumberFormatException e) {
                // not an authdata line (an error message): nothing to say about NTS
            }
        }
        return out;
    }

    /**
     * Notes for the status detail: each NTS source without cookies ("NTS: no cookies from NAME: key exchange
     * failed (1 attempt); chronyd: TLS handshake ... failed : ..."), and NAKs from the server.
     */
    static List<String> notes(ProbeSection authdata, ProbeSection log) {
        List<String> out = new ArrayList<>();
        if (authdata == null || !authdata.ok()) {
            return out;
        }
        String last = log == null ? "" : log.body().lines().map(String::strip).filter(s -> !s.isEmpty())
                .reduce((a, b) -> b).orElse("");
        for (Auth a : parse(authdata.body())) {
            if (!a.mode().equals("NTS")) {
                continue;
            }
            if (a.cookies() == 0) {
                out.add("NTS: no cookies from " + a.name() + (a.attempts() > 0 ? ": key exchange failed (" + a.attempts()
                        + (a.attempts() == 1 ? " attempt)" : " attempts)") : ": no key exchange yet")
                        + (last.isEmpty() ? "" : "; chronyd: " + last));
            } else if (a.naks() > 0) {
                out.add("NTS: " + a.name() + " answered " + a.naks() + " request(s) with a NAK (its keys changed; new cookies follow)");
            }
        }
        return out;
    }
}
