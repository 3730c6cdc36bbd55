package io.tsync.transport;

/** The host's SSH key is unknown or changed: the host is refused and nothing is sent to it. */
public final class HostKeyException extends java.io.IOException {
    public HostKeyException(String message) {
        super(message);
    }
}
