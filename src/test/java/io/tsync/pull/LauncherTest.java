package io.tsync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LauncherTest {
    @Test
    void theBundlesLauncherThePackagesOrThisJvm() {
        assertEquals(List.of("/opt/tsync-0.1.0/bin/tsync"),
                Launcher.of(Path.of("/opt/tsync-0.1.0/lib/tsync.jar"), Set.of(Path.of("/opt/tsync-0.1.0/bin/tsync"))::contains, "/x/java"));
        assertEquals(List.of("/usr/bin/tsync"), Launcher.of(Path.of("/usr/share/tsync/tsync.jar"), Set.of(Path.of("/usr/bin/tsync"))::contains, "/x/java"));
        assertEquals(List.of("/usr/lib/jvm/java-17/bin/java", "-jar", "/src/tsync/target/tsync.jar"),
                Launcher.of(Path.of("/src/tsync/target/tsync.jar"), p -> true, "/usr/lib/jvm/java-17/bin/java"));
    }
}
