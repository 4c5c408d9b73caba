package org.jamwire.coordinator;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * One ssh public host key: its type and its key blob, checked when made, with the fingerprint and the
 * size that {@code ssh-keygen -lf} prints for it. Immutable.
 *
 * @param type the key type as known_hosts names it, e.g. {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}
 *     or {@code ssh-rsa}
 * @param blob the key in ssh's wire form, which starts with the type
 */
public record SshHostKey(String type, byte[] blob) {

    private static final int MAX_BLOB_BYTES = 16 * 1024;

    /** Checks that the blob is a key of that type; copies it. */
    public SshHostKey {
        if (type == null || !type.matches("[a-z0-9][a-z0-9@.-]{0,63}")) {
            throw new IllegalArgumentException("'" + type + "' is not an ssh key type");
        }
        if (blob == null || blob.length == 0 || blob.length > MAX_BLOB_BYTES) {
            throw new IllegalArgumentException("a " + type + " key must be 1 byte to 16 KiB long");
        }
        blob = blob.clone();
        final ByteBuffer in = ByteBuffer.wrap(blob);
        if (!type.equals(new String(field(in, type), StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("the key's data does not start with its type " + type);
        }
        if (type.equals("ssh-ed25519") && field(in, type).length != 32) {
            throw new IllegalArgumentException("an ssh-ed25519 key is 32 bytes long");
        }
        if (type.startsWith("ecdsa-sha2-") && !type.endsWith(new String(field(in, type), StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("the key's curve is not the one its type " + type + " names");
        }
        if (type.equals("ssh-rsa")) {
            final byte[] exponent = field(in, type);
            if (exponent.length == 0 || field(in, type).length == 0) {
                throw new IllegalArgumentException("an ssh-rsa key needs an exponent and a modulus");
            }
        }
    }

    /** The key whose blob this is; its type is read from the blob. */
    public static SshHostKey of(byte[] blob) {
        if (blob == null || blob.length < 4) {
            throw new IllegalArgumentException("too short for an ssh key");
        }
        final byte[] type = field(ByteBuffer.wrap(blob), "key");
        return new SshHostKey(new String(type, StandardCharsets.US_ASCII), blob);
    }

    /**
     * The key of a known_hosts or {@code .pub} line's type and base64 fields.
     *
     * @throws IllegalArgumentException when the base64 is not a key of that type
     */
    public static SshHostKey parse(String type, String base64) {
        final byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + type + " key is not valid base64");
        }
        return new SshHostKey(type, blob);
    }

    /** The blob in base64, as known_hosts holds it. */
    public String base64() {
        return Base64.getEncoder().encodeToString(blob);
    }

    @Override
    public byte[] blob() {
        return blob.clone();
    }

    /** {@code SHA256:} and the unpadded base64 of the blob's SHA-256, as OpenSSH prints it. */
    public String fingerprint() {
        return KnownHosts.fingerprint(blob);
    }

    /** The key's size in bits as ssh-keygen gives it: 256 for ed25519, the curve's for ECDSA, the modulus's for RSA. */
    public int bits() {
        final ByteBuffer in = ByteBuffer.wrap(blob);
        field(in, type);
        if (type.equals("ssh-ed25519")) {
            return 256;
        }
        if (type.startsWith("ecdsa-sha2-nistp")) {
            return Integer.parseInt(type.substring("ecdsa-sha2-nistp".length()));
        }
        if (type.equals("ssh-rsa")) {
            field(in, type);
            return new BigInteger(1, field(in, type)).bitLength();
        }
        return 0;
    }

    /** The kind as ssh-keygen names it in parentheses: ED25519, ECDSA or RSA. */
    public String label() {
        if (type.equals("ssh-ed25519")) {
            return "ED25519";
        }
        if (type.startsWith("ecdsa-sha2-")) {
            return "ECDSA";
        }
        return type.equals("ssh-rsa") ? "RSA" : type;
    }

    /** The key's line as {@code ssh-keygen -lf} prints it for {@code name}: {@code 256 SHA256:... host (ED25519)}. */
    public String describe(String name) {
        return bits() + " " + fingerprint() + " " + name + " (" + label() + ")";
    }

    /** Where a Debian host keeps this kind of host key's public half, e.g. /etc/ssh/ssh_host_ed25519_key.pub. */
    public String hostKeyFile() {
        final String kind = type.equals("ssh-rsa") ? "rsa" : label().toLowerCase(java.util.Locale.ROOT);
        return "/etc/ssh/ssh_host_" + kind + "_key.pub";
    }

    private static byte[] field(ByteBuffer in, String what) {
        if (in.remaining() < 4) {
            throw new IllegalArgumentException("the " + what + " key's data ends early");
        }
        final int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("the " + what + " key's data ends early");
        }
        final byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshHostKey k && k.type.equals(type) && Arrays.equals(k.blob, blob);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return type + " " + fingerprint();
    }
}
