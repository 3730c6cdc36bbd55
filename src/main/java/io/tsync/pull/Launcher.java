package io.tsync.pull;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/** How the timer's service starts this tsync again: the bundle's or the package's launcher, else java -jar. */
public final class Launcher {
    static final Path DEB_JAR = Path.of("/usr/share/tsync/tsync.jar");
    static final Path DEB_LAUNCHER = Path.of("/usr/bin/tsync");

    private Launcher() {}

    /** The words that start the tsync running now. */
    public static List<String> current() {
        Path jar;
        try {
            jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            jar = DEB_JAR;
        }
        return of(jar, p -> Files.isExecutable(p) && !Files.isDirectory(p), ProcessHandle.current().info().command().orElse("java"));
    }

    /**
     * {@code DIR/bin/tsync} for the bundle's {@code DIR/lib/tsync.jar} (its own runtime), {@code /usr/bin/tsync}
     * for the Debian package's jar, else this JVM running the jar.
     */
    static List<String> of(Path jar, Predicate<Path> executable, String java) {
        Path lib = jar.getParent();
        if (lib != null && lib.getFileName() != null && lib.getFileName().toString().equals("lib") && lib.getParent() != null) {
            Path bundled = lib.getParent().resolve("bin/tsync");
            if (executable.test(bundled)) {
                return List.of(bundled.toString());
            }
        }
        if (jar.equals(DEB_JAR) && executable.test(DEB_LAUNCHER)) {
            return List.of(DEB_LAUNCHER.toString());
        }
        return List.of(java, "-jar", jar.toString());
    }
}
