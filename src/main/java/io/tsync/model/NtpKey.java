package io.tsync.model;

/**
 * A symmetric NTP key. The playbook names where its value comes from, never the value: an
 * environment variable of the controller ({@code value_from_env}) or a file beside the file that
 * names it ({@code value_from_file}). {@code value} is null until the source was read (apply reads it
 * before contacting any host; validate only checks it when it is there).
 *
 * @param type digest: MD5, SHA1, SHA256, SHA384 or SHA512
 * @param env  environment variable holding the value, or null
 * @param file absolute path of the file holding the value, or null
 */
public record NtpKey(int id, String type, String env, String file, Secret value, Location at) {
    public NtpKey withValue(Secret v) {
        return new NtpKey(id, type, env, file, v, at);
    }

    /** Where the value comes from, for messages: "environment variable X" or "file F". */
    public String source() {
        return env != null ? "environment variable " + env : "file " + file;
    }
}
