package io.tsync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlaybookChoiceTest {
    @Test
    void hostnameThenShortNameThenLocalEachAsYamlThenYml() {
        assertEquals(List.of("web7.example.com.yaml", "web7.example.com.yml", "web7.yaml", "web7.yml", "local.yaml", "local.yml"),
                PlaybookChoice.candidates("web7.example.com"));
        assertEquals(List.of("web7.yaml", "web7.yml", "local.yaml", "local.yml"), PlaybookChoice.candidates("web7"));
    }

    @Test
    void theFirstThatExistsWins() throws Exception {
        Set<String> repo = Set.of("local.yaml", "web7.yml", "db1.yaml");
        assertEquals("web7.yml", PlaybookChoice.choose(null, "web7.example.com", repo::contains));
        assertEquals("local.yaml", PlaybookChoice.choose(null, "web8", repo::contains));
        assertEquals("db1.yaml", PlaybookChoice.choose(null, "db1", repo::contains));
    }

    @Test
    void aGivenPlaybookIsTakenAsItIsAndMustExistInsideTheRepository() throws Exception {
        Set<String> repo = Set.of("local.yaml", "sites/kr.yaml");
        assertEquals("sites/kr.yaml", PlaybookChoice.choose("sites/./kr.yaml", "web7", repo::contains));
        PullException missing = assertThrows(PullException.class, () -> PlaybookChoice.choose("site.yaml", "web7", repo::contains));
        assertEquals(PullException.Kind.INVALID, missing.kind());
        assertTrue(missing.getMessage().contains("the repository has no site.yaml"), missing.getMessage());
        for (String outside : List.of("../etc/kr.yaml", "/etc/tsync/kr.yaml", "sites/../../x.yaml")) {
            PullException e = assertThrows(PullException.class, () -> PlaybookChoice.choose(outside, "web7", p -> true), outside);
            assertTrue(e.getMessage().contains("is not inside the repository"), e.getMessage());
        }
    }

    @Test
    void noneFoundNamesWhatWasTriedAndTheFix() {
        PullException e = assertThrows(PullException.class, () -> PlaybookChoice.choose(null, "web7", p -> false));
        assertEquals("the repository has none of web7.yaml, web7.yml, local.yaml, local.yml"
                + "\n  fix: commit local.yaml (every host) or web7.yaml (this host) to the branch, or give --playbook PATH", e.getMessage());
    }
}
