package org.jamwire.coordinator;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The known_hosts file that every ssh connection checks host keys against, in OpenSSH's format. A
 * key is added only after the user confirmed its fingerprint ({@link #addConfirmed}); there is no
 * trust on first use. A file or directory made for it is its owner's only ({@link KnownHostsFile#append}).
 * Called on control threads; adding is synchronized.
 */
public final class KnownHosts {

    private final Path file;

    /** Uses {@code file}, which need not exist yet. */
    public KnownHosts(Path file) {
        this.file = file;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** A JSch host-key repository reading the file as it is now. */
    HostKeyRepository repository(JSch jsch) throws JSchException {
        if (Files.exists(file)) {
            jsch.setKnownHosts(file.toString());
        }
        return jsch.getHostKeyRepository();
    }

    /** OpenSSH's fingerprint of a key blob: {@code SHA256:} and the unpadded base64 of its SHA-256. */
    public static String fingerprint(byte[] keyBlob) {
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(keyBlob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Records a host key the user confirmed.
     *
     * @param name the host as known_hosts names it ({@code host} or {@code [host]:port})
     * @param key the key the server presented
     */
    public synchronized void addConfirmed(String name, HostKey key) throws IOException {
        final SshHostKey recorded;
        try {
            recorded = SshHostKey.parse(key.getType(), key.getKey());
        } catch (IllegalArgumentException e) {
            throw new IOException("the key of " + name + " cannot be recorded: " + e.getMessage(), e);
        }
        KnownHostsFile.append(file, name, recorded, false);
    }
}
