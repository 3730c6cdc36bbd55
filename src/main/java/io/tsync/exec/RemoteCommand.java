package io.tsync.exec;

import java.nio.charset.StandardCharsets;

/** A fixed shell script plus the data it reads on stdin. Values are quoted into the script or sent as stdin. */
public record RemoteCommand(String script, byte[] stdin) {
    public static RemoteCommand of(String script) {
        return new RemoteCommand(script, new byte[0]);
    }

    public static RemoteCommand withInput(String script, String stdin) {
        return new RemoteCommand(script, stdin.getBytes(StandardCharsets.UTF_8));
    }
}
