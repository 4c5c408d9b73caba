package org.jamwire.options;

import static org.jamwire.options.Parse.command;
import static org.jamwire.options.Parse.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jamwire.hub.HubConfig;
import org.jamwire.hub.PatchMode;
import org.jamwire.link.Role;
import org.junit.jupiter.api.Test;

/** The hub's options, as jacktrip takes them: -S, -C HOST, -K, -U, -p, -i, -u. */
class HubOptionsTest {

    private static Command.HubClient client(String line) throws UsageException {
        return assertInstanceOf(Command.HubClient.class, command(line));
    }

    private static HubConfig server(String line) throws UsageException {
        return assertInstanceOf(Command.HubServer.class, command(line)).config();
    }

    @Test
    void a_hub_client_asks_the_hub_on_tcp_4464_and_streams_from_udp_4464() throws UsageException {
        final Command.HubClient c = client("-C hub.example -K alice");
        assertEquals(Role.CLIENT, c.config().role());
        assertEquals("hub.example", c.config().peerHost());
        assertEquals(4464, c.config().peerPort());
        assertEquals(4464, c.config().bindPort());
        assertEquals("alice", c.remoteName());
    }

    @Test
    void a_hub_client_port_offset_moves_both_ports_and_b_p_set_each() throws UsageException {
        assertEquals(4474, client("-C h -o 10").config().peerPort());
        assertEquals(4474, client("-C h -o 10").config().bindPort());
        final Command.HubClient c = client("-C h -B 4500 -P 4600");
        assertEquals(4500, c.config().bindPort());
        assertEquals(4600, c.config().peerPort());
    }

    @Test
    void a_hub_client_without_k_sends_no_name() throws UsageException {
        assertEquals("", client("-C h").remoteName());
    }

    @Test
    void a_hub_server_listens_on_4464_with_workers_from_61002_in_patch_mode_0() throws UsageException {
        final HubConfig h = server("-S");
        assertEquals(4464, h.tcpPort());
        assertEquals(61002, h.udpBasePort());
        assertEquals(PatchMode.SERVER_TO_CLIENTS, h.patch());
        assertFalse(h.includeServer());
        assertEquals(1024, h.maxClients());
    }

    @Test
    void a_hub_server_port_offset_moves_the_udp_base_too_unless_u_sets_it() throws UsageException {
        assertEquals(61012, server("-S -o 10").udpBasePort());
        assertEquals(4474, server("-S -o 10").tcpPort());
        assertEquals(5000, server("-S -o 10 -U 5000").udpBasePort());
    }

    @Test
    void a_hub_server_takes_patch_modes_and_their_flags() throws UsageException {
        final HubConfig h = server("-S -p 4 -i -u");
        assertEquals(PatchMode.FULL_MIX, h.patch());
        assertTrue(h.includeServer());
        assertTrue(h.upmix());
    }

    @Test
    void patch_modes_outside_0_to_5_are_refused() {
        assertTrue(problem("-S -p 6").startsWith("-p/--hubpatch: '6' is not allowed"), problem("-S -p 6"));
    }

    @Test
    void hub_server_options_are_refused_on_a_client_and_the_name_on_a_server() {
        assertEquals("-p/--hubpatch: '2' only applies with -S/--jacktripserver (a hub server)",
                problem("-C h -p 2"));
        assertEquals("-K/--remotename: 'x' only applies with -C/--pingtoserver (a hub client)",
                problem("-S -K x"));
        assertEquals("-U/--udpbaseport: '5000' only applies with -S/--jacktripserver (a hub server)",
                problem("-s -U 5000"));
    }

    @Test
    void a_name_the_hub_cannot_carry_is_refused() {
        assertTrue(problem("-C h -K " + "x".repeat(64)).contains("1 to 63 bytes"));
        assertTrue(problem("-C h -K a:b").contains("without ':'"));
    }

    @Test
    void a_hub_and_a_p2p_mode_conflict() {
        assertTrue(problem("-S -c h").startsWith("-c h conflicts with -S given earlier"));
    }

    @Test
    void a_hub_server_on_the_builtin_backend_is_refused() {
        assertTrue(problem("-S --backend builtin").contains("a hub server runs on JACK"));
    }
}
