package org.jamwire.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.jamwire.net.HubLogin;
import org.jamwire.net.HubTrust;
import org.jamwire.options.HubLoginOptions;
import org.jamwire.options.UsageException;

/** A hub client's login as a face gathers it: the user, the password and how to check the hub. Control thread. */
public final class HubLogins {

    private HubLogins() {
    }

    /** Gathers a login when the hub client is about to ask the hub; may prompt. */
    public interface Source {
        /**
         * The login.
         *
         * @throws UsageException saying which source failed and how to fix it
         */
        Login read() throws UsageException;
    }

    /**
     * A login to hand to {@link LinkManager#start(org.jamwire.options.Command, Source)}, which wipes
     * the password once it is used.
     *
     * @param user the user name
     * @param password the password
     * @param options how to check the hub's certificate
     */
    public record Login(String user, char[] password, HubLoginOptions options) {

        HubLogin toHubLogin() {
            try {
                return new HubLogin(user, password, trust(options));
            } catch (UsageException e) {
                throw new UncheckedIOException(new IOException(e.getMessage(), e));
            }
        }

        /** Overwrites the password. */
        public void wipe() {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Checks that the certificate check the options ask for can be made.
     *
     * @throws UsageException when {@code --hub-cert} is neither a fingerprint nor a readable PEM file
     */
    public static void checkTrust(HubLoginOptions o) throws UsageException {
        trust(o);
    }

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    /**
     * The password on the first line of {@code file}, which no one but its owner may read or write.
     *
     * @param what how the file was named, for the message: {@code --password-file} or the config key
     * @throws UsageException when the file cannot be read, others may read or write it, or its first
     *     line is empty; the message says how to fix it
     */
    public static char[] readPasswordFile(Path file, String what) throws UsageException {
        try {
            final Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (perms.stream().anyMatch(OTHERS::contains)) {
                throw new UsageException(what + ": " + file + " may be read or written by others than its owner:"
                        + " chmod 600 " + file);
            }
            final char[] password = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("")
                    .toCharArray();
            if (password.length == 0) {
                throw new UsageException(what + ": " + file + " holds no password on its first line; a hub refuses"
                        + " an empty password");
            }
            return password;
        } catch (UnsupportedOperationException e) {
            throw new UsageException(what + ": cannot check who may read " + file + " on this file system");
        } catch (IOException e) {
            throw new UsageException(what + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static HubTrust trust(HubLoginOptions o) throws UsageException {
        if (o.insecureSkipCertCheck()) {
            return HubTrust.any();
        }
        if (o.hubCert() == null) {
            return HubTrust.system();
        }
        try {
            return HubTrust.pinned(o.hubCert());
        } catch (IOException e) {
            throw new UsageException("--hub-cert: '" + o.hubCert() + "' is neither a SHA-256 fingerprint (64 hex"
                    + " digits) nor a readable PEM certificate: " + e.getMessage());
        }
    }
}
