package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairPortsTest {

    private static final List<Integer> ALL = PeerProbe.LINK_PORTS;

    private static PairPorts.Machine on(String name, Integer... free) {
        return new PairPorts.Machine(name, List.of(free));
    }

    @Test
    void with_nothing_asked_the_server_takes_the_first_free_port_and_the_client_another() throws Exception {
        final PairPorts p = PairPorts.choose(PairPorts.Asked.NOTHING, on("lab-a", ALL.toArray(Integer[]::new)),
                on("lab-b", ALL.toArray(Integer[]::new)));
        assertEquals(new PairPorts(4464, 4474), p);
    }

    @Test
    void a_second_pair_on_the_same_hosts_takes_the_ports_the_first_left_free() throws Exception {
        // The first pair holds 4464 on lab-a (its server) and 4474 on lab-b (its client).
        final PairPorts p = PairPorts.choose(PairPorts.Asked.NOTHING, on("lab-a", 4474, 4484, 4494),
                on("lab-b", 4464, 4484, 4494));
        assertEquals(new PairPorts(4474, 4464), p);
    }

    @Test
    void an_offset_alone_moves_both_ports_as_jamwire_does() throws Exception {
        final PairPorts.Asked asked = PairPorts.Asked.of(null, Map.of("portoffset", 10));
        assertEquals(4474, asked.server());
        assertEquals(4474, asked.client());
        assertEquals(new PairPorts(4474, 4474), PairPorts.choose(asked, on("lab-a", ALL.toArray(Integer[]::new)),
                on("lab-b", ALL.toArray(Integer[]::new))));
    }

    @Test
    void a_port_and_an_offset_that_disagree_are_refused_naming_both_ports_and_the_fix() {
        final PairPorts.Mismatch e = assertThrows(PairPorts.Mismatch.class,
                () -> PairPorts.Asked.of(4464, Map.of("portoffset", "10")));
        assertEquals("options.portoffset", e.field());
        assertTrue(e.getMessage().contains("send to UDP port 4474") && e.getMessage().contains("bind UDP port 4464")
                && e.getMessage().contains("leave out portoffset and port"), e.getMessage());
    }

    @Test
    void a_peer_port_that_disagrees_with_the_port_is_refused() {
        final PairPorts.Mismatch e = assertThrows(PairPorts.Mismatch.class,
                () -> PairPorts.Asked.of(4484, Map.of("peerport", 4464)));
        assertEquals("options.peerport", e.field());
    }

    @Test
    void ports_that_agree_are_taken_as_given() throws Exception {
        final PairPorts.Asked asked = PairPorts.Asked.of(4484, Map.of("peerport", 4474, "portoffset", 10,
                "bindport", 4484));
        assertEquals(4484, asked.server());
        assertEquals(4494, asked.client());
        assertEquals("options.bindport 4484 with options.portoffset 10", asked.clientBy());
    }

    @Test
    void a_port_asked_for_that_is_taken_is_refused_naming_the_port_the_host_and_the_free_ones() throws Exception {
        final PairPorts.Asked asked = PairPorts.Asked.of(4464, Map.of());
        final PairStep.Refused e = assertThrows(PairStep.Refused.class,
                () -> PairPorts.choose(asked, on("lab-a", 4474, 4484), on("lab-b", ALL.toArray(Integer[]::new))));
        assertEquals("UDP port 4464 (port 4464) is taken on lab-a: leave it out, and the coordinator picks a free one"
                + " (free there now: 4474 and 4484)", e.getMessage());
    }

    @Test
    void a_client_port_asked_for_that_is_taken_here_is_refused() throws Exception {
        final PairPorts.Asked asked = PairPorts.Asked.of(null, Map.of("bindport", 4464));
        assertNull(asked.server());
        final PairStep.Refused e = assertThrows(PairStep.Refused.class,
                () -> PairPorts.choose(asked, on("lab-a", ALL.toArray(Integer[]::new)), on("this machine", 4474)));
        assertTrue(e.getMessage().startsWith("UDP port 4464 (options.bindport 4464) is taken on this machine"),
                e.getMessage());
    }

    @Test
    void no_free_link_port_refuses_the_start() {
        final PairStep.Refused e = assertThrows(PairStep.Refused.class,
                () -> PairPorts.choose(PairPorts.Asked.NOTHING, on("lab-a"), on("lab-b", 4464)));
        assertTrue(e.getMessage().startsWith("no link port is free on lab-a: UDP ports 4464, 4474, 4484 and 4494 are"
                + " all taken there"), e.getMessage());
    }

    @Test
    void a_port_outside_the_link_ports_is_taken_as_given() throws Exception {
        assertEquals(new PairPorts(50000, 50001), PairPorts.choose(PairPorts.Asked.of(50000, Map.of("bindport",
                50001)), on("lab-a"), on("lab-b")));
    }

    @Test
    void two_pairs_choosing_at_once_never_share_a_port() throws Exception {
        final PortClaims claims = new PortClaims();
        final PairPorts.Machine a = on("lab-a", ALL.toArray(Integer[]::new));
        final PairPorts.Machine b = on("lab-b", ALL.toArray(Integer[]::new));
        final PairPorts first = claims.choose("p1", PairPorts.Asked.NOTHING, a, b);
        // Neither end of p1 has bound its port yet: the probe still sees every port free.
        final PairPorts second = claims.choose("p2", PairPorts.Asked.NOTHING, a, b);
        assertEquals(new PairPorts(4464, 4474), first);
        assertEquals(new PairPorts(4474, 4464), second);
        final PairStep.Refused e = assertThrows(PairStep.Refused.class,
                () -> claims.choose("p3", PairPorts.Asked.of(4464, Map.of()), a, b));
        assertTrue(e.getMessage().contains("UDP port 4464 (port 4464) on lab-a is held by pair p1"), e.getMessage());
        claims.release("p1");
        assertEquals(new PairPorts(4464, 4474), claims.choose("p3", PairPorts.Asked.of(4464, Map.of()), a, b));
    }

    @Test
    void where_free_ports_are_not_known_the_ports_other_pairs_hold_are_still_avoided() throws Exception {
        final PortClaims claims = new PortClaims();
        final PairPorts.Machine a = new PairPorts.Machine("lab-a", null);
        final PairPorts.Machine b = new PairPorts.Machine("lab-b", null);
        assertEquals(new PairPorts(4464, 4474), claims.choose("p1", PairPorts.Asked.NOTHING, a, b));
        assertEquals(new PairPorts(4474, 4464), claims.choose("p2", PairPorts.Asked.NOTHING, a, b));
    }

    @Test
    void the_client_is_told_both_ports_with_no_offset_left_to_move_them() {
        final Map<String, Object> options = ServerCommand.clientOptions(Map.of("portoffset", 10, "jack-server", "x",
                "queue", 4), 4484, 4464);
        assertEquals(Map.of("bindport", 4464, "peerport", 4484, "queue", 4), options);
        final PeerReport jacktripOnly = new PeerReport("Linux", "default", true, 48000, 128, 2, -1, null, "1.7.0",
                false, ALL, List.of());
        assertEquals(List.of("env", "JACK_DEFAULT_SERVER=default", "jacktrip", "-c", "10.0.0.2", "--bindport", "4464",
                "--peerport", "4484"), ServerCommand.clientForPeer(jacktripOnly, "default", Map.of(), "10.0.0.2",
                        4484, 4464).argv());
    }
}
