package io.tsync.model;

/** chrony's {@code makestep THRESHOLD LIMIT}: step the clock if off by more than threshold seconds in the first limit updates. */
public record MakeStep(double threshold, int limit) {}
