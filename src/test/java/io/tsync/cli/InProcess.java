package io.tsync.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs tsync in-process through {@link Main#run}, capturing what it prints (for CLI unit tests). */
final class InProcess {
    private InProcess() {}

    record Run(int exit, String out, String err) {}

    /** One at a time: System.out and System.err are swapped for the run. */
    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            try {
                exit = Main.run(args);
            } catch (Throwable t) {
                // a crash is a finding too: make it visible (briefly) in the assertion messages
                e.println("uncaught " + t);
                StackTraceElement[] st = t.getStackTrace();
                for (int i = 0; i < Math.min(5, st.length); i++) {
                    e.println("\tat " + st[i]);
                }
                exit = -1;
            }
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
