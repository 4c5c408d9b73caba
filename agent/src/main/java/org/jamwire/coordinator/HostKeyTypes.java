package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The host key algorithms an ssh client proposes, in OpenSSH's order: what OpenSSH 9.2 (Debian 12)
 * proposes to a host it does not know yet, less certificates and security keys, which lab hosts do
 * not have. For a host whose keys known_hosts already holds, the algorithms of those key types go
 * first, each part keeping this order, as OpenSSH does. The agent, {@code ssh} and {@code jamwire lab
 * trust} all propose this way, so they meet the same key of a host and show the same fingerprint.
 * Pure functions.
 */
public final class HostKeyTypes {

    /** OpenSSH's client order for a host it does not know: ed25519, then ECDSA, then RSA. */
    public static final List<String> OPENSSH_ORDER = List.of("ssh-ed25519", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256");

    private HostKeyTypes() {
    }

    /** The key type an algorithm's key is recorded under: {@code ssh-rsa} for both RSA signature algorithms. */
    public static String keyType(String algorithm) {
        return algorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : algorithm;
    }

    /**
     * The algorithms to propose to a host for which known_hosts holds keys of {@code knownKeyTypes}
     * (e.g. {@code ssh-rsa}, {@code ecdsa-sha2-nistp256}): those first, then the others.
     */
    public static List<String> preferring(Collection<String> knownKeyTypes) {
        final List<String> known = new ArrayList<>();
        final List<String> others = new ArrayList<>();
        for (String algorithm : OPENSSH_ORDER) {
            (knownKeyTypes.contains(keyType(algorithm)) ? known : others).add(algorithm);
        }
        known.addAll(others);
        return List.copyOf(known);
    }

    /** The same, as JSch's {@code server_host_key} setting takes it: separated by commas. */
    static String proposal(Collection<String> knownKeyTypes) {
        return String.join(",", preferring(knownKeyTypes));
    }
}
