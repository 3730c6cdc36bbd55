package io.tsync.model;

/**
 * How a run rolls out over its hosts, as a play declares it: in waves ({@code serial}), stopping when a
 * wave's failed share is above {@code maxFailPercentage}, and whether a stopped wave's unsynced hosts
 * are rolled back ({@code on_unsynced: rollback}). Any part may be null (not declared).
 */
public record Rollout(Serial serial, Integer maxFailPercentage, Boolean rollbackUnsynced, Location location) {
    public static final Rollout NONE = new Rollout(null, null, null, null);

    /** This rollout's parts, each replaced by {@code over}'s where {@code over} declares it (the command line wins). */
    public Rollout overriddenBy(Rollout over) {
        return new Rollout(over.serial() != null ? over.serial() : serial, over.maxFailPercentage() != null ? over.maxFailPercentage() : maxFailPercentage,
                over.rollbackUnsynced() != null ? over.rollbackUnsynced() : rollbackUnsynced, location);
    }

    public int failPercentage() {
        return maxFailPercentage == null ? 0 : maxFailPercentage;
    }

    public boolean rollback() {
        return Boolean.TRUE.equals(rollbackUnsynced);
    }
}
