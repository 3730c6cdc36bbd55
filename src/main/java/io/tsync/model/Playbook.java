package io.tsync.model;

import java.util.List;

/** A playbook file: one or more plays, applied in order. */
public record Playbook(String file, List<Play> plays) {
    public Playbook {
        plays = List.copyOf(plays);
    }
}
