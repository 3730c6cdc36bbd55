package io.tsync.cli;

import static io.tsync.cli.InProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.cli.InProcess.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/** What the docs promise still works: the GitOps pipelines parse and their tsync commands exist; shell completion. */
class DocsTest {
    static final Path GITOPS = Path.of("docs/gitops.md");

    /** The fenced blocks of a Markdown file in a given language. */
    static List<String> blocks(String markdown, String lang) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```" + lang + "\\n(.*?)^```$", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theGitOpsPipelinesAreValidYaml() throws Exception {
        List<String> yaml = blocks(Files.readString(GITOPS), "yaml");
        assertTrue(yaml.size() >= 2, "at least one GitHub Actions workflow and one GitLab CI file");
        for (String y : yaml) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(y);
            assertTrue(doc instanceof java.util.Map<?, ?> m && !m.isEmpty(), y);
        }
    }

    /**
     * Every {@code java -jar tsync.jar ...} line of the pipelines (with its continuation lines),
     * shell variables replaced by a word, parses with tsync's own command line: no option the docs
     * use can be renamed or dropped without this failing.
     */
    @Test
    void everyTsyncCommandInTheGitOpsDocParses() throws Exception {
        String md = Files.readString(GITOPS).replace("\\\n", " ");
        Matcher m = Pattern.compile("java -jar tsync\\.jar ([^\\n]*)").matcher(md);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            String line = m.group(1).split(" \\|\\||\\s[0-9]?>|\\s\\||;")[0].strip();
            String[] args = line.replaceAll("\"?\\$\\{?[A-Za-z_]+}?\"?", "X").split("\\s+");
            try {
                new CommandLine(new Main()).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("docs/gitops.md: 'tsync " + line + "' does not parse: " + e.getMessage(), e);
            }
            checked.add(line);
        }
        assertEquals(14, checked.size(), "commands found: " + checked);
    }

    @Test
    void bashCompletionScriptIsGeneratedAndValidBash(@TempDir Path dir) throws Exception {
        Run r = run("generate-completion");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("complete -F _complete_tsync"), r.out().lines().limit(5).toList().toString());
        for (String sub : List.of("apply", "status", "validate", "facts", "inventory", "timezones")) {
            assertTrue(r.out().contains(sub), "completes " + sub);
        }
        Path script = Files.writeString(dir.resolve("tsync_completion"), r.out());
        Process bash = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes());
        assertEquals(0, bash.waitFor(), "bash -n: " + out);
    }
}
