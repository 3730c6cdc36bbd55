package io.tsync.model;

/** One play of a playbook: which hosts, and their desired timezone and NTP setup (either may be absent). */
public record Play(String name, String hosts, String timezone, NtpSpec ntp, Location location) {}
