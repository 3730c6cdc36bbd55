package io.tsync.transport;

import com.jcraft.jsch.Logger;
import java.io.PrintStream;

/**
 * JSch's log of one login, read for when its parts ended: "Connection established" (TCP),
 * "SSH_MSG_NEWKEYS received" (key exchange), "Authentication succeeded" (authentication). With
 * {@code TSYNC_SSH_DEBUG} set it also prints every message, as before.
 */
final class LoginClock implements Logger {
    private final String label;
    private final PrintStream debug;
    private final long start = System.nanoTime();
    private volatile long tcp;
    private volatile long kex;
    private volatile long auth;

    LoginClock(String label, PrintStream debug) {
        this.label = label;
        this.debug = debug;
    }

    @Override
    public boolean isEnabled(int level) {
        return debug != null || level >= INFO;
    }

    @Override
    public void log(int level, String message) {
        if (debug != null) {
            debug.println("jsch[" + label + "] " + message);
        }
        if (message == null) {
            return;
        }
        long now = System.nanoTime();
        if (tcp == 0 && message.startsWith("Connection established")) {
            tcp = now;
        } else if (kex == 0 && message.startsWith("SSH_MSG_NEWKEYS received")) {
            kex = now;
        } else if (auth == 0 && message.startsWith("Authentication succeeded")) {
            auth = now;
        }
    }

    /**
     * The parts, with {@code done} the moment the transport was ready. A mark JSch did not log (a
     * login through a bastion logs no TCP connection) counts its time to the next part.
     */
    ConnectTimes times(long done) {
        long t = tcp != 0 ? tcp : start;
        long k = kex != 0 ? Math.max(kex, t) : t;
        long a = auth != 0 ? Math.max(auth, k) : k;
        return new ConnectTimes((t - start) / 1e9, (k - t) / 1e9, (a - k) / 1e9, Math.max(0, done - a) / 1e9);
    }
}
