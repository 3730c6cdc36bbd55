package io.tsync.model;

/** One time source: a {@code server} line, or a {@code pool} line when {@code pool} is true. */
public record Server(String host, boolean pool, boolean iburst, boolean prefer, Integer minpoll, Integer maxpoll, boolean nts) {}
