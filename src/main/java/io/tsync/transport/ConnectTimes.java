package io.tsync.transport;

/**
 * How long the parts of one SSH login took: the TCP connection (or the bastion's channel, or the
 * ProxyCommand's start), the key exchange up to the first NEWKEYS, and authentication; the rest of
 * opening the transport (checking sudo) is in {@code otherSeconds}.
 */
public record ConnectTimes(double tcpSeconds, double kexSeconds, double authSeconds, double otherSeconds) {
    public double totalSeconds() {
        return tcpSeconds + kexSeconds + authSeconds + otherSeconds;
    }
}
