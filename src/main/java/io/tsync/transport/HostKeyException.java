package io.tsync.transport;

import java.io.IOException;

/** The host's SSH key is unknown or changed: the host is refused and nothing is sent to it. */
public final class HostKeyException extends IOException {
    public HostKeyException(String message) {
        super(message);
    }
}
