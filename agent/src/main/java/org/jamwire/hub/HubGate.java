package org.jamwire.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jamwire.link.LinkException;
import org.jamwire.net.HubListener;
import org.jamwire.net.PemFiles;
import org.jamwire.protocol.HubHandshake;
import org.jamwire.text.Printable;

/**
 * The hub's TCP side: its handshake listener, plain, or with -A behind TLS and the credentials
 * file, saying which logins it refuses. Opened on the control thread that starts the hub; the
 * refusals are said on the handshake thread.
 */
final class HubGate {

    /** Fewest seconds between two notes about throttled logins: a flood must not flood the log too. */
    private static final int THROTTLE_NOTE_SECONDS = 10;

    private HubGate() {}

    /** Starts the handshake listener; with -A, first reads the certificate, key and users. */
    static HubListener open(HubConfig config, HubListener.Handler handler, HubServer hub)
            throws IOException, LinkException {
        final HubAuthFiles auth = config.auth();
        if (auth == null) {
            return HubListener.start(config.tcpPort(), HubServer.HANDSHAKE_TIMEOUT, handler);
        }
        final SSLContext tls = PemFiles.serverContext(auth.certFile(), auth.keyFile());
        final CredentialsFile users;
        try {
            users = CredentialsFile.open(auth.credsFile(), Clock.systemDefaultZone(), m -> hub.note(m));
        } catch (IllegalArgumentException e) {
            throw new LinkException(e.getMessage());
        } catch (IOException e) {
            throw new LinkException("cannot read the credentials file " + auth.credsFile() + ": " + e.getMessage(), e);
        }
        hub.note("certificate " + PemFiles.fingerprint(PemFiles.certificates(auth.certFile()).get(0))
                + " (SHA-256; tell it to clients that pin it); " + users.current().size() + " users in "
                + auth.credsFile());
        return HubListener.startAuthenticating(config.tcpPort(), HubServer.HANDSHAKE_TIMEOUT, handler, tls,
                new Logins(users, hub));
    }

    /** Checks each login against the credentials file and says who is refused. Handshake thread. */
    private static final class Logins implements HubListener.Authenticator {
        private final CredentialsFile users;
        private final HubServer hub;
        private long lastThrottleNote;

        Logins(CredentialsFile users, HubServer hub) {
            this.users = users;
            this.hub = hub;
        }

        @Override
        public int check(String user, String password) {
            final int code = users.check(user, password);
            if (code != HubHandshake.AUTH_OK) {
                hub.refused("refused '" + Printable.escape(user) + "': " + HubHandshake.describeCode(code));
            }
            return code;
        }

        @Override
        public void throttled(InetSocketAddress from, int failures, long seconds) {
            final long now = System.nanoTime();
            if (lastThrottleNote == 0 || now - lastThrottleNote >= TimeUnit.SECONDS.toNanos(THROTTLE_NOTE_SECONDS)) {
                lastThrottleNote = now;
                hub.refused("refused a login from " + from.getAddress().getHostAddress() + " unchecked: " + failures
                        + " failed logins in a row; it may try again in " + seconds + " s (said at most every 10 s)");
            }
        }
    }
}
