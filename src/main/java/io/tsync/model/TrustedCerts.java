package io.tsync.model;

/**
 * The certificates a host trusts for NTS besides the system's: a PEM file of the playbook's
 * repository (one or more CA certificates), read and checked when the playbook is loaded, copied to
 * the host and named by chrony's {@code ntstrustedcerts}.
 *
 * @param file     absolute path of the PEM file on the controller
 * @param pem      its content, exactly as read (certificates only: it holds no secret)
 * @param subjects the certificates' subjects, for messages and the report
 * @param at       where the playbook names it
 */
public record TrustedCerts(String file, String pem, java.util.List<String> subjects, Location at) {
    public TrustedCerts {
        subjects = java.util.List.copyOf(subjects);
    }
}
