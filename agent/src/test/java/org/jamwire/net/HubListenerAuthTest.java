package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.jamwire.protocol.HubHandshake;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.Test;

/**
 * The hub's TCP handshake with authentication (jacktrip's {@code -A}): TLS on the handshake socket
 * inside the selector, the credentials checked, and slow or silent clients still unable to delay
 * anyone.
 */
class HubListenerAuthTest {

    private static final HubListener.Handler PORT_61002 = (r, from) -> 61002;
    /** Accepts alice with "secret1", refuses bob for the time, everyone else for the credentials. */
    private static final HubListener.Authenticator USERS = (user, password) -> switch (user) {
        case "alice" -> password.equals("secret1") ? HubHandshake.AUTH_OK : HubHandshake.AUTH_WRONG_CREDENTIALS;
        case "bob" -> HubHandshake.AUTH_WRONG_TIME;
        default -> HubHandshake.AUTH_WRONG_CREDENTIALS;
    };

    static Path resource(String name) {
        try {
            return Path.of(HubListenerAuthTest.class.getResource("/hubauth/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HubListener start(Duration timeout) throws Exception {
        final SSLContext tls = PemFiles.serverContext(resource("hub-cert.pem"), resource("hub-key.pem"));
        return HubListener.startAuthenticating(0, timeout, PORT_61002, tls, USERS);
    }

    private static InetSocketAddress at(HubListener l) {
        return new InetSocketAddress("127.0.0.1", l.port());
    }

    private static HubLogin login(String user, String password) throws Exception {
        return new HubLogin(user, password.toCharArray(), HubTrust.pinned(resource("hub-cert.pem").toString()));
    }

    private static int request(HubListener l, HubLogin login) throws HubException {
        return HubHandshakeClient.requestPort(at(l), 4464, "alice", Duration.ofSeconds(1), login);
    }

    @Test
    void good_credentials_get_the_handlers_port() throws Exception {
        try (HubListener l = start(Duration.ofSeconds(5))) {
            assertEquals(61002, request(l, login("alice", "secret1")));
            Deadlines.await(Duration.ofSeconds(2), () -> l.count(HubListener.Counter.ANSWERED) == 1, () -> "answered");
        }
    }

    @Test
    void a_wrong_password_is_refused_with_a_message_naming_the_user() throws Exception {
        try (HubListener l = start(Duration.ofSeconds(5))) {
            final HubException e = assertThrows(HubException.class, () -> request(l, login("alice", "nope")));
            assertTrue(e.getMessage().contains("refused the user name 'alice' or its password"), e.getMessage());
            Deadlines.await(Duration.ofSeconds(2), () -> l.count(HubListener.Counter.LOGIN_REFUSED) == 1,
                    () -> "refused");
        }
    }

    @Test
    void a_user_outside_their_times_is_told_so() throws Exception {
        try (HubListener l = start(Duration.ofSeconds(5))) {
            final HubException e = assertThrows(HubException.class, () -> request(l, login("bob", "any")));
            assertTrue(e.getMessage().contains("only at certain times"), e.getMessage());
        }
    }

    @Test
    void a_plain_client_is_told_authentication_is_required() throws Exception {
        try (HubListener l = start(Duration.ofSeconds(5))) {
            final HubException e = assertThrows(HubException.class,
                    () -> HubHandshakeClient.requestPort(at(l), 4464, "plain", Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("requires authentication: add -A"), e.getMessage());
            assertEquals(1, l.count(HubListener.Counter.AUTH_REQUIRED));
        }
    }

    @Test
    void an_authenticating_client_of_a_plain_hub_is_told_to_leave_out_a() throws Exception {
        try (HubListener l = HubListener.start(0, Duration.ofSeconds(5), PORT_61002)) {
            final HubException e = assertThrows(HubException.class, () -> request(l, login("alice", "secret1")));
            assertTrue(e.getMessage().contains("does not use authentication: leave out -A"), e.getMessage());
        }
    }

    @Test
    void a_certificate_other_than_the_pinned_one_is_refused_before_the_password_goes() throws Exception {
        try (HubListener l = start(Duration.ofSeconds(5))) {
            final HubLogin other = new HubLogin("alice", "secret1".toCharArray(),
                    HubTrust.pinned(resource("other-cert.pem").toString()));
            final HubException e = assertThrows(HubException.class, () -> request(l, other));
            assertTrue(e.getMessage().contains("not the pinned one"), e.getMessage());
            assertEquals(0, l.count(HubListener.Counter.LOGIN_REFUSED) + l.count(HubListener.Counter.ANSWERED));
        }
    }

    @Test
    void a_self_signed_certificate_is_refused_by_default_naming_its_fingerprint() throws Exception {
        final String fingerprint = PemFiles.fingerprint(PemFiles.certificates(resource("hub-cert.pem")).get(0));
        try (HubListener l = start(Duration.ofSeconds(5))) {
            final HubLogin system = new HubLogin("alice", "secret1".toCharArray(), HubTrust.system());
            final HubException e = assertThrows(HubException.class, () -> request(l, system));
            assertTrue(e.getMessage().contains("--hub-cert sha256:" + fingerprint), e.getMessage());
        }
    }

    @Test
    void a_fingerprint_pin_and_an_unchecked_certificate_both_connect() throws Exception {
        final String fingerprint = PemFiles.fingerprint(PemFiles.certificates(resource("hub-cert.pem")).get(0));
        try (HubListener l = start(Duration.ofSeconds(5))) {
            assertEquals(61002, request(l, new HubLogin("alice", "secret1".toCharArray(),
                    HubTrust.pinned("SHA256:" + fingerprint.toUpperCase(java.util.Locale.ROOT)))));
            assertEquals(61002, request(l, new HubLogin("alice", "secret1".toCharArray(), HubTrust.any())));
        }
    }

    @Test
    void a_client_stalled_inside_tls_is_closed_at_its_deadline() throws Exception {
        try (HubListener l = start(Duration.ofMillis(500)); Socket s = new Socket("127.0.0.1", l.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(HubHandshake.response(HubHandshake.AUTH_OK));
            final byte[] answer = new byte[4];
            new DataInputStream(s.getInputStream()).readFully(answer);
            assertEquals(HubHandshake.AUTH_OK, HubHandshake.parseResponse(answer));
            assertEquals(-1, s.getInputStream().read());
            assertEquals(1, l.count(HubListener.Counter.TIMED_OUT));
        }
    }

    /** The bound with -A: 200 silent or stalled connections delay a real login by under 1 s. */
    @Test
    void two_hundred_silent_connections_do_not_delay_a_real_login() throws Exception {
        final List<Socket> silent = new ArrayList<>();
        try (HubListener l = start(Duration.ofSeconds(30))) {
            final HubLogin alice = login("alice", "secret1");
            assertEquals(61002, request(l, alice)); // warms up TLS in this JVM, as a running client has
            for (int i = 0; i < 200; i++) {
                final Socket s = new Socket("127.0.0.1", l.port());
                silent.add(s);
                final OutputStream out = s.getOutputStream();
                if (i % 2 == 0) {
                    // Half of them open authentication and then say nothing in TLS.
                    out.write(HubHandshake.response(HubHandshake.AUTH_OK));
                } else if (i % 4 == 1) {
                    // A quarter send half a TLS record header.
                    out.write(HubHandshake.response(HubHandshake.AUTH_OK));
                    out.write(new byte[] {0x16, 0x03});
                }
                out.flush();
            }
            Deadlines.await(Duration.ofSeconds(5), () -> l.count(HubListener.Counter.ACCEPTED) == 201,
                    () -> "accepted " + l.count(HubListener.Counter.ACCEPTED));
            final long start = System.nanoTime();
            assertEquals(61002, request(l, login("alice", "secret1")));
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000, "the real login took " + millis + " ms");
            assertEquals(0, l.count(HubListener.Counter.TIMED_OUT));
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }
}
