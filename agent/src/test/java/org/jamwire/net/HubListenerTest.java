package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jamwire.protocol.HubHandshake;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.Test;

/** The hub's TCP handshake: answers, refusals and clients that hold their connection silent. */
class HubListenerTest {

    private static final HubListener.Handler PORT_61002 = (r, from) -> 61002;

    private static InetSocketAddress at(HubListener l) {
        return new InetSocketAddress("127.0.0.1", l.port());
    }

    @Test
    void answers_a_request_with_the_handlers_port() throws Exception {
        final List<HubHandshake.Request> seen = new ArrayList<>();
        try (HubListener l = HubListener.start(0, Duration.ofSeconds(5), (r, from) -> {
            seen.add(r);
            return 61005;
        })) {
            assertEquals(61005, HubHandshakeClient.requestPort(at(l), 4464, "alice", Duration.ofSeconds(1)));
            assertEquals(List.of(new HubHandshake.Request(4464, "alice")), seen);
            Deadlines.await(Duration.ofSeconds(2), () -> l.count(HubListener.Counter.ANSWERED) == 1, () -> "answered");
        }
    }

    @Test
    void a_client_that_sends_only_its_port_gets_an_answer_without_a_name() throws Exception {
        final List<HubHandshake.Request> seen = new ArrayList<>();
        try (HubListener l = HubListener.start(0, Duration.ofSeconds(5), (r, from) -> {
            seen.add(r);
            return 61002;
        }); Socket s = new Socket("127.0.0.1", l.port())) {
            s.getOutputStream().write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(4470).array());
            final byte[] answer = new byte[4];
            new DataInputStream(s.getInputStream()).readFully(answer);
            assertEquals(61002, HubHandshake.parseResponse(answer));
            assertEquals(List.of(new HubHandshake.Request(4470, "")), seen);
        }
    }

    @Test
    void an_authenticating_client_is_told_the_hub_does_not_authenticate() throws Exception {
        try (HubListener l = HubListener.start(0, Duration.ofSeconds(5), PORT_61002);
             Socket s = new Socket("127.0.0.1", l.port())) {
            s.getOutputStream().write(HubHandshake.response(HubHandshake.AUTH_OK));
            final byte[] answer = new byte[4];
            new DataInputStream(s.getInputStream()).readFully(answer);
            assertEquals(HubHandshake.AUTH_NOT_REQUIRED, HubHandshake.parseResponse(answer));
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void a_malformed_request_is_counted_and_closed_unanswered() throws Exception {
        try (HubListener l = HubListener.start(0, Duration.ofSeconds(5), PORT_61002);
             Socket s = new Socket("127.0.0.1", l.port())) {
            final byte[] bad = HubHandshake.request(4464, "");
            java.util.Arrays.fill(bad, 4, 68, (byte) 'x');
            s.getOutputStream().write(bad);
            assertEquals(-1, s.getInputStream().read());
            assertEquals(1, l.count(HubListener.Counter.MALFORMED));
            assertTrue(l.lastMalformed().contains("NUL"), l.lastMalformed());
        }
    }

    @Test
    void a_silent_connection_is_closed_at_its_deadline() throws Exception {
        try (HubListener l = HubListener.start(0, Duration.ofMillis(300), PORT_61002);
             Socket s = new Socket("127.0.0.1", l.port())) {
            s.setSoTimeout(5000);
            assertEquals(-1, s.getInputStream().read());
            assertEquals(1, l.count(HubListener.Counter.TIMED_OUT));
        }
    }

    /** The bound: 200 silent TCP connections delay a real client's handshake by under 1 s. */
    @Test
    void two_hundred_silent_connections_do_not_delay_a_real_handshake() throws Exception {
        final List<Socket> silent = new ArrayList<>();
        try (HubListener l = HubListener.start(0, Duration.ofSeconds(30), PORT_61002)) {
            for (int i = 0; i < 200; i++) {
                final Socket s = new Socket("127.0.0.1", l.port());
                silent.add(s);
                if (i % 2 == 0) {
                    // Half of them start a request and stall in the middle of the name.
                    final OutputStream out = s.getOutputStream();
                    out.write(HubHandshake.request(4464, "staller"), 0, 10);
                    out.flush();
                }
            }
            Deadlines.await(Duration.ofSeconds(5), () -> l.count(HubListener.Counter.ACCEPTED) == 200,
                    () -> "accepted " + l.count(HubListener.Counter.ACCEPTED));
            final long start = System.nanoTime();
            assertEquals(61002, HubHandshakeClient.requestPort(at(l), 4464, "real", Duration.ofSeconds(1)));
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000, "the real handshake took " + millis + " ms");
            assertEquals(0, l.count(HubListener.Counter.TIMED_OUT));
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }
}
