package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The hub handshake's bytes, against what jacktrip 1.7 sent in captures/hub.pcap. */
class HubHandshakeTest {

    /** The 68 bytes jacktrip -C 127.0.0.1 -K myname sent (bind port 4464). */
    private static final String CAPTURED_REQUEST = "70110000" + "6d796e616d65" + "00".repeat(58);

    @Test
    void request_matches_the_captured_jacktrip_client_bytes() {
        assertArrayEquals(HexFormat.of().parseHex(CAPTURED_REQUEST), HubHandshake.request(4464, "myname"));
    }

    @Test
    void parses_the_captured_request() {
        final HubHandshake.Request r = HubHandshake.parseRequest(ByteBuffer.wrap(HexFormat.of().parseHex(CAPTURED_REQUEST)));
        assertEquals(new HubHandshake.Request(4464, "myname"), r);
    }

    @Test
    void response_matches_the_captured_hub_answer() {
        assertArrayEquals(HexFormat.of().parseHex("4aee0000"), HubHandshake.response(61002));
        assertEquals(61002, HubHandshake.parseResponse(HexFormat.of().parseHex("4aee0000")));
    }

    @Test
    void a_request_without_a_name_has_an_empty_name() {
        assertEquals("", HubHandshake.parseRequest(ByteBuffer.wrap(HubHandshake.request(4464, null))).name());
    }

    @Test
    void refuses_a_name_without_its_terminating_nul() {
        final byte[] b = HubHandshake.request(4464, "");
        java.util.Arrays.fill(b, 4, 68, (byte) 'a');
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HubHandshake.parseRequest(ByteBuffer.wrap(b)));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void refuses_a_port_outside_the_port_range() {
        final byte[] b = HubHandshake.request(0, "x");
        b[2] = 1; // 65536
        assertThrows(IllegalArgumentException.class, () -> HubHandshake.parseRequest(ByteBuffer.wrap(b)));
    }

    @Test
    void refuses_a_name_too_long_for_the_field() {
        assertThrows(IllegalArgumentException.class, () -> HubHandshake.request(1, "é".repeat(32)));
    }

    @Test
    void names_the_authentication_codes() {
        assertTrue(HubHandshake.describeCode(HubHandshake.AUTH_REQUIRED).contains("requires authentication"));
        assertTrue(HubHandshake.describeCode(HubHandshake.AUTH_WRONG_TIME).contains("time"));
    }

    @Test
    void an_authenticated_request_carries_lengths_then_nul_terminated_credentials() {
        final byte[] r = HubHandshake.authRequest(4464, "bob", "alice", "pw".toCharArray());
        assertEquals(68 + 8 + 6 + 3, r.length);
        assertEquals("0500000002000000616c69636500707700", HexFormat.of().formatHex(r, 68, r.length));
        final HubHandshake.AuthRequest parsed = HubHandshake.parseAuthRequest(ByteBuffer.wrap(r));
        assertEquals(new HubHandshake.Request(4464, "bob"), parsed.request());
        assertEquals("alice", parsed.user());
        assertEquals("pw", parsed.password());
        assertTrue(!parsed.toString().contains("pw"), parsed.toString());
    }

    @Test
    void an_authenticated_request_waits_for_all_its_bytes() {
        final byte[] r = HubHandshake.authRequest(4464, "", "alice", "pw".toCharArray());
        assertEquals(null, HubHandshake.parseAuthRequest(ByteBuffer.wrap(r, 0, 70)));
        assertEquals(null, HubHandshake.parseAuthRequest(ByteBuffer.wrap(r, 0, r.length - 1)));
    }

    @Test
    void an_authenticated_request_with_a_huge_length_is_refused() {
        final byte[] r = HubHandshake.authRequest(4464, "", "alice", "pw".toCharArray());
        ByteBuffer.wrap(r).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(68, 1 << 30);
        assertThrows(IllegalArgumentException.class, () -> HubHandshake.parseAuthRequest(ByteBuffer.wrap(r)));
    }
}
