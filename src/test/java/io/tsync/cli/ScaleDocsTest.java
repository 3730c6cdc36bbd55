package io.tsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.load.Slice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/** docs/scale.md keeps its promises: the workflow and the Kubernetes Jobs parse, every tsync command in it parses, its example slices hold. */
class ScaleDocsTest {
    static final Path SCALE = Path.of("docs/scale.md");

    @Test
    void theGitHubWorkflowAndTheKubernetesJobsAreValidYaml() throws Exception {
        List<String> yaml = DocsTest.blocks(Files.readString(SCALE), "yaml");
        assertEquals(2, yaml.size(), "a GitHub Actions workflow, the Kubernetes Jobs");
        List<Object> docs = new ArrayList<>();
        for (String y : yaml) {
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(y).forEach(docs::add);
        }
        Map<?, ?> workflow = (Map<?, ?>) docs.get(0);
        Map<?, ?> apply = (Map<?, ?>) ((Map<?, ?>) workflow.get("jobs")).get("apply");
        assertEquals(List.of(1, 2, 3, 4), ((Map<?, ?>) ((Map<?, ?>) apply.get("strategy")).get("matrix")).get("slice"));
        Map<?, ?> job = (Map<?, ?>) docs.get(1);
        assertEquals("Indexed", ((Map<?, ?>) job.get("spec")).get("completionMode"));
        assertEquals(4, ((Map<?, ?>) job.get("spec")).get("completions"), "N of --slice K/4");
        assertEquals("Job", ((Map<?, ?>) docs.get(2)).get("kind"));
    }

    /**
     * Every tsync command line the page shows (not the usage lines with [options], not the
     * transcripts of errors), variables replaced by a value, parses with tsync's own command line.
     */
    @Test
    void everyTsyncCommandInTheScaleDocParses() throws Exception {
        Matcher m = Pattern.compile("(?m)^(?!\\$ )(?:.*[\\s/;\"=`])?tsync ((?:apply|status|facts|validate|report)(?=[ \\n])[^\\n]*)")
                .matcher(Files.readString(SCALE));
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            String line = m.group(1).split(" \\|\\||\\s[0-9]?>|\\s\\||;|&&|\\s#|\"\\]|`")[0].strip();
            if (line.contains("[") || line.contains("...") || line.matches("\\w+( merge)?")) { // usage lines, a command named in prose
                continue;
            }
            line = line.replaceAll("\\$\\{\\{[^}]*}}", "1").replaceAll("\\$\\{?[A-Za-z_]+}?", "1").replace("\"", "").replace("K/N", "1/4");
            try {
                new CommandLine(new Main()).parseArgs(line.split("\\s+"));
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("docs/scale.md: 'tsync " + line + "' does not parse: " + e.getMessage(), e);
            }
            checked.add(line);
        }
        assertTrue(checked.size() >= 10, "commands found: " + checked);
    }

    @Test
    void theExampleSlicesOfTheLabAreTheRealOnes() throws Exception {
        String md = Files.readString(SCALE);
        assertTrue(md.contains("slice 1: h3, h5,\n  h7, h8, h9, h10, h11; slice 2: none; slice 3: h2, h6, h12; slice 4: h1, h4"), "example in docs/scale.md");
        List<List<String>> slices = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            List<String> hosts = new ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                if (new Slice(k, 4).contains("h" + i)) {
                    hosts.add("h" + i);
                }
            }
            slices.add(hosts);
        }
        assertEquals(List.of(List.of("h3", "h5", "h7", "h8", "h9", "h10", "h11"), List.of(), List.of("h2", "h6", "h12"), List.of("h1", "h4")), slices);
    }
}
