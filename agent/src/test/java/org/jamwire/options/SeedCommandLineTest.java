package org.jamwire.options;

import static org.jamwire.options.Parse.config;
import static org.jamwire.options.Parse.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkConfig.BackendKind;
import org.jamwire.link.Role;
import org.junit.jupiter.api.Test;

/** The old JackTrip manual's two command lines, exactly as printed there. */
class SeedCommandLineTest {

    private static final String SERVER = "-j -z 64 -b 2 -q 2 -a 8 -r";
    private static final String CLIENT = "-j -z 64 -b 2 -q 2 -a 8 -t 192.0.2.10";

    @Test
    void server_line_makes_a_server_that_waits_for_a_client() throws Exception {
        final LinkConfig c = config(SERVER);
        assertEquals(Role.SERVER, c.role());
        assertNull(c.peerHost());
    }

    @Test
    void client_line_makes_a_client_of_the_host() throws Exception {
        final LinkConfig c = config(CLIENT);
        assertEquals(Role.CLIENT, c.role());
        assertEquals("192.0.2.10", c.peerHost());
    }

    @Test
    void seed_lines_use_jack() throws Exception {
        assertEquals(BackendKind.JACK, config(SERVER).backend());
        assertEquals(BackendKind.JACK, config(CLIENT).backend());
    }

    @Test
    void seed_z_is_the_expected_buffer_size() throws Exception {
        assertEquals(64, config(SERVER).expectedBufferSize());
        assertEquals(64, config(CLIENT).expectedBufferSize());
    }

    @Test
    void seed_b_is_redundancy() throws Exception {
        assertEquals(2, config(SERVER).redundancy());
        assertEquals(2, config(CLIENT).redundancy());
    }

    @Test
    void seed_q_is_the_queue_in_packets() throws Exception {
        assertEquals(2, config(SERVER).queue());
        assertEquals(2, config(CLIENT).queue());
    }

    @Test
    void seed_a_is_eight_channels_each_way() throws Exception {
        for (String line : new String[] {SERVER, CLIENT}) {
            assertEquals(8, config(line).sendChannels());
            assertEquals(8, config(line).receiveChannels());
        }
    }

    @Test
    void seed_lines_keep_the_other_defaults() throws Exception {
        final LinkConfig c = config(SERVER);
        assertEquals(16, c.bitResolution());
        assertEquals(LinkConfig.DEFAULT_PORT, c.bindPort());
        assertEquals(LinkConfig.DEFAULT_PORT, c.peerPort());
        assertTrue(c.autoConnect());
        assertEquals(0, c.peerTimeoutSeconds());
    }

    @Test
    void seed_lines_give_no_warnings() throws Exception {
        assertTrue(run(SERVER).warnings().isEmpty());
        assertTrue(run(CLIENT).warnings().isEmpty());
    }
}
