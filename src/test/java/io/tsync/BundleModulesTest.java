package io.tsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The bundle's runtime holds the modules tsync needs: dist/modules lists exactly what jdeps finds in
 * tsync's classes and its compile dependencies (the jar's content), plus the commented modules jdeps
 * cannot see. A dependency bump or new code that needs another module fails here, not on a server.
 */
class BundleModulesTest {
    static final Path MODULES = Path.of("dist/modules");

    /** The module lines of dist/modules: bare ones (jdeps' answer) and commented ones (invisible to jdeps). */
    static List<String[]> lines() throws Exception {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(MODULES)) {
            String module = line.replaceAll("#.*", "").strip();
            if (!module.isEmpty()) {
                out.add(new String[] {module, line.contains("#") ? line.substring(line.indexOf('#') + 1).strip() : ""});
            }
        }
        return out;
    }

    /** The jars of the pom's compile and runtime dependencies, found on the test class path. */
    static List<String> dependencyJars() throws Exception {
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        // the project's own <dependencies>, not those of <dependencyManagement> (the JUnit BOM) or of a profile
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile()).getDocumentElement();
        NodeList deps = null;
        for (int i = 0; i < project.getChildNodes().getLength(); i++) {
            if (project.getChildNodes().item(i) instanceof Element e && e.getTagName().equals("dependencies")) {
                deps = e.getChildNodes();
            }
        }
        if (deps == null) {
            throw new AssertionError("pom.xml has no <dependencies> under <project>");
        }
        List<String> jars = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            if (!(deps.item(i) instanceof Element d)) {
                continue;
            }
            String scope = text(d, "scope");
            if (!scope.isEmpty() && !scope.equals("compile") && !scope.equals("runtime")) {
                continue;
            }
            String jar = text(d, "artifactId") + "-" + text(d, "version") + ".jar";
            String found = classPath.stream().filter(p -> p.endsWith(java.io.File.separator + jar)).findFirst()
                    .orElseThrow(() -> new AssertionError(jar + " (pom.xml) is not on the test class path"));
            jars.add(found);
        }
        return jars;
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().strip();
    }

    /** The modules jdeps finds in {@code input} (a jar or a class directory). */
    static Set<String> jdeps(String input) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("jdeps missing: run the tests on a JDK"));
        String[] args = {"--print-module-deps", "--ignore-missing-deps", "--multi-release", "17", input};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, jdeps.run(new PrintWriter(out), new PrintWriter(err), args), "jdeps " + String.join(" ", args) + "\n" + err);
        return Arrays.stream(out.toString().strip().split(",")).map(String::strip).filter(m -> !m.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * jdeps of a dependency jar, kept in target/ by the jar's name, size and time: a jar of a given
     * version never changes, and jdeps spends seconds on each (the answer for the whole jar is the
     * union of the answers for its parts, as a class needs the same modules wherever it is).
     */
    static Set<String> jdepsOfJar(String jar) throws Exception {
        Path p = Path.of(jar);
        Path cache = Path.of("target", "jdeps-cache", p.getFileName() + "-" + Files.size(p) + "-" + Files.getLastModifiedTime(p).toMillis());
        if (Files.isRegularFile(cache)) {
            return new TreeSet<>(Files.readAllLines(cache));
        }
        Set<String> found = jdeps(jar);
        Files.createDirectories(cache.getParent());
        Files.write(cache, found);
        return found;
    }

    @Test
    void distModulesAreWhatJdepsFindsPlusTheDocumentedProviders() throws Exception {
        Set<String> found = jdeps("target/classes");
        for (String jar : dependencyJars()) {
            found.addAll(jdepsOfJar(jar));
        }

        Set<String> bare = new TreeSet<>();
        for (String[] l : lines()) {
            if (l[1].isEmpty()) {
                bare.add(l[0]);
            } else {
                assertTrue(!found.contains(l[0]), l[0] + " is found by jdeps now: drop its comment in " + MODULES);
            }
        }
        assertEquals(found, bare, MODULES + " must list exactly the modules jdeps finds (bare lines); jdeps says " + String.join(",", found));
        for (String[] l : lines()) {
            assertTrue(ModuleFinder.ofSystem().find(l[0]).isPresent(), l[0] + " is not a module of this JDK");
        }
    }
}
