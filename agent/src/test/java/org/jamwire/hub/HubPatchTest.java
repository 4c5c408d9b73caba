package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.jamwire.hub.HubPatch.Client;
import org.jamwire.hub.HubPatch.Connection;
import org.junit.jupiter.api.Test;

/** The connections each patch mode makes, as jacktrip's hub makes them. */
class HubPatchTest {

    private static final Client A = new Client("a", 2, 2);
    private static final Client B = new Client("b", 2, 2);
    private static final Client MONO = new Client("m", 2, 1);
    private static final List<String> CAPTURE = List.of("system:capture_1", "system:capture_2");
    private static final List<String> PLAYBACK = List.of("system:playback_1", "system:playback_2");

    private static Set<Connection> patch(PatchMode mode, boolean includeServer, boolean upmix, Client... clients) {
        return HubPatch.connections(mode, includeServer, upmix, List.of(clients), CAPTURE, PLAYBACK);
    }

    private static Connection c(String from, String to) {
        return new Connection(from, to);
    }

    @Test
    void echo_returns_each_client_to_itself_channel_by_channel() {
        assertEquals(Set.of(c("a:receive_1", "a:send_1"), c("a:receive_2", "a:send_2"),
                c("b:receive_1", "b:send_1"), c("b:receive_2", "b:send_2")), patch(PatchMode.CLIENT_ECHO, false, false, A, B));
    }

    @Test
    void fan_out_in_sends_each_client_to_every_other_only() {
        assertEquals(Set.of(c("a:receive_1", "b:send_1"), c("a:receive_2", "b:send_2"),
                c("b:receive_1", "a:send_1"), c("b:receive_2", "a:send_2")),
                patch(PatchMode.CLIENT_FAN_OUT_IN, false, false, A, B));
    }

    @Test
    void full_mix_is_fan_out_in_and_echo() {
        final Set<Connection> full = patch(PatchMode.FULL_MIX, false, false, A, B);
        assertEquals(8, full.size());
        assertTrue(full.containsAll(patch(PatchMode.CLIENT_ECHO, false, false, A, B)));
        assertTrue(full.containsAll(patch(PatchMode.CLIENT_FAN_OUT_IN, false, false, A, B)));
    }

    @Test
    void include_server_adds_the_system_ports_to_fan_out_in() {
        final Set<Connection> p = patch(PatchMode.CLIENT_FAN_OUT_IN, true, false, A);
        assertEquals(Set.of(c("system:capture_1", "a:send_1"), c("system:capture_2", "a:send_2"),
                c("a:receive_1", "system:playback_1"), c("a:receive_2", "system:playback_2")), p);
    }

    @Test
    void include_server_does_nothing_in_echo() {
        assertEquals(patch(PatchMode.CLIENT_ECHO, false, false, A), patch(PatchMode.CLIENT_ECHO, true, false, A));
    }

    @Test
    void upmix_feeds_a_mono_client_to_both_channels_of_those_who_hear_it() {
        final Set<Connection> p = patch(PatchMode.CLIENT_FAN_OUT_IN, false, true, MONO, A);
        assertTrue(p.contains(c("m:receive_1", "a:send_1")));
        assertTrue(p.contains(c("m:receive_1", "a:send_2")));
        assertTrue(p.contains(c("a:receive_1", "m:send_1")));
    }

    @Test
    void modes_0_3_and_5_connect_no_client_to_another() {
        for (PatchMode m : List.of(PatchMode.SERVER_TO_CLIENTS, PatchMode.RESERVED_MATRIX, PatchMode.NONE)) {
            assertEquals(Set.of(), patch(m, true, true, A, B), m.toString());
        }
    }
}
