package org.jamwire.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.jamwire.protocol.HubHandshake;

/**
 * The hub's handshake parsers against any bytes: a plain 68-byte request, and the login inside TLS
 * ({@code -A}). Each either parses into a request that writes back to the same bytes, or refuses
 * with an {@link IllegalArgumentException}; nothing else is ever thrown.
 */
class HubHandshakeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void plain_request(byte[] bytes) {
        final HubHandshake.Request r;
        try {
            r = HubHandshake.parseRequest(ByteBuffer.wrap(bytes));
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
            return;
        }
        assertTrue(r.udpPort() >= 0 && r.udpPort() <= 65535);
        // What parsed is what a client would send for it.
        final HubHandshake.Request again = HubHandshake.parseRequest(ByteBuffer.wrap(HubHandshake.request(r.udpPort(),
                r.name())));
        assertEquals(r, again);
    }

    @FuzzTest(maxDuration = "10s")
    void tls_login(byte[] bytes) {
        final HubHandshake.AuthRequest r;
        try {
            r = HubHandshake.parseAuthRequest(ByteBuffer.wrap(bytes));
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
            return;
        }
        if (r == null) {
            return; // not all of it yet
        }
        final HubHandshake.AuthRequest again = HubHandshake.parseAuthRequest(ByteBuffer.wrap(HubHandshake.authRequest(
                r.request().udpPort(), r.request().name(), r.user(), r.password().toCharArray())));
        assertEquals(r.request(), again.request());
        assertEquals(r.user(), again.user());
        assertEquals(r.password(), again.password());
    }
}
