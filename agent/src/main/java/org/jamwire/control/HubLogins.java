package org.jamwire.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
