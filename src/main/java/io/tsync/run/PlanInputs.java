package io.tsync.run;

import io.tsync.model.Sha256;
import io.tsync.plan.SavedPlan;
import io.tsync.render.Renderer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The content hashes a saved plan pins its inputs with: the playbook; the inventory with the
 * group_vars/ and host_vars/ beside it and beside the playbook (every file there, not only those
 * this run read: a new host_vars file can change a host); the template set (the built-in
 * templates and every file of --templates).
 */
public final class PlanInputs {
    /** The templates built into the jar (the project's templates/). */
    private static final List<String> BUILT_IN = List.of("chrony.conf.ftl", "ntp.conf.ftl", "timesyncd.conf.ftl");

    private PlanInputs() {}

    public static SavedPlan.Input playbook(Path playbook) throws IOException {
        return new SavedPlan.Input(playbook.toString(), Sha256.hex(Files.readAllBytes(playbook)));
    }

    /** @param inventory null in --local mode (only the vars beside the playbook then) */
    public static SavedPlan.Input inventory(Path inventory, Path playbook) throws IOException {
        StringBuilder sb = new StringBuilder();
        Set<Path> dirs = new LinkedHashSet<>();
        if (inventory != null) {
            sb.append("inventory ").append(Sha256.hex(Files.readAllBytes(inventory))).append('\n');
            dirs.add(dir(inventory));
        }
        dirs.add(dir(playbook));
        for (Path d : dirs) {
            for (String vars : List.of("group_vars", "host_vars")) {
                tree(sb, d.resolve(vars), vars);
            }
        }
        return new SavedPlan.Input(inventory == null ? null : inventory.toString(), Sha256.hex(sb.toString()));
    }

    /** @param templates the --templates folder, or null */
    public static SavedPlan.Input templates(Path templates) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String name : BUILT_IN) {
            try (InputStream in = Renderer.class.getResourceAsStream("/templates/" + name)) {
                sb.append("built-in ").append(name).append(' ').append(in == null ? "absent" : Sha256.hex(in.readAllBytes())).append('\n');
            }
        }
        if (templates != null) {
            tree(sb, templates, "templates");
        }
        return new SavedPlan.Input(templates == null ? null : templates.toString(), Sha256.hex(sb.toString()));
    }

    private static Path dir(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** "name sha256" of every regular file under {@code root}, in path order. */
    private static void tree(StringBuilder sb, Path root, String label) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        for (Path f : files) {
            sb.append(label).append('/').append(root.relativize(f).toString().replace('\\', '/')).append(' ')
                    .append(Sha256.hex(Files.readAllBytes(f))).append('\n');
        }
    }
}
