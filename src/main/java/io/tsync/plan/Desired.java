package io.tsync.plan;

import io.tsync.model.NtpSpec;

/** The state one host should be in, after per-host overrides: timezone and NTP setup, either may be null. */
public record Desired(String timezone, NtpSpec ntp) {}
