package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probing a peer over a real sshd: its JACK server's rate, period and periods read with JACK's own
 * tools, jacktrip's version, free link ports; and the pre-flight refusing a sample-rate mismatch
 * before anything starts.
 */
@Tag("integration")
class PeerProbeTest {

    @TempDir
    Path dir;

    @Test
    void reads_the_peers_jack_settings_and_catches_a_rate_mismatch() throws Exception {
        try (SshServer sshd = SshServer.start(dir.resolve("sshd"));
             JackServer jack = JackServer.start(44_100, 256)) {
            final SshTarget target = new SshTarget(sshd.address(), sshd.port(), System.getProperty("user.name"),
                    sshd.userKey());
            final Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, sshd.knownHostsLine(target.knownHostsName()));
            try (SshSession ssh = SshSession.open(target, new KnownHosts(knownHosts), SshSession.Timeouts.defaults())) {
                final PeerReport r = PeerProbe.probe(ssh, peer(target, jack.name()));
                assertTrue(r.jackRunning(), r.toString());
                assertEquals(44_100, r.sampleRate());
                assertEquals(256, r.bufferSize());
                assertTrue(r.periods() >= 2, r.toString());
                assertNotNull(r.os());
                assertEquals("1.7.0", r.jacktripVersion());
                assertFalse(r.agentRunning());
                assertEquals(-1, r.xruns());

                final Preflight p = Preflight.compare(new Preflight.End("this machine", 48_000, 256, 16, 2, 2, "4"),
                        new Preflight.End("the peer", r.sampleRate(), r.bufferSize(), 16, 2, 2, "4"));
                assertFalse(p.ok());
                assertTrue(p.fixes().get(0).contains("at 48000 Hz"), p.fixes().toString());

                final PeerReport none = PeerProbe.probe(ssh, peer(target, "jamwire-no-such-server"));
                assertFalse(none.jackRunning());
                assertTrue(none.notes().toString().contains("not running"), none.notes().toString());
            }
            // The probe must not have started a JACK server of its own for the missing name.
            assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                    .contains("jackd") && p.info().commandLine().orElse("").contains("jamwire-no-such-server")));
            assertFalse(Files.exists(Path.of("/dev/shm/jack_jamwire-no-such-server_0")));
        }
    }

    /** The peer, with no agent on the port where the probe looks for one. */
    private static Peer peer(SshTarget target, String jackServer) throws Exception {
        return new Peer("probed", target.host(), target.port(), target.user(), target.identity(), jackServer,
                SshServer.freePort(), Peer.DEFAULT_AGENT_TOKEN, null);
    }
}
