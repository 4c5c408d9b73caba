package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.net.HubException;
import org.jamwire.net.HubHandshakeClient;
import org.jamwire.net.HubListener;
import org.jamwire.net.HubLogin;
import org.jamwire.net.HubTrust;
import org.jamwire.protocol.HubHandshake;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleRateCode;
import org.jamwire.protocol.StopPacket;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub against the exact inputs that once broke it: a client named like the hub's JACK server,
 * names and user names with terminal codes and line breaks, a flood of handshakes from one
 * address, and a burst of password guesses.
 */
@Tag("integration")
class HubHostileInputTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    /** openssl passwd -6 -salt saltsalt secret1 */
    private static final String SECRET1 = "$6$saltsalt$jCP90RmSIIja2o9FRs25ASQaR1lMN6uKHmNcHaoNCpAXgV3n5NfAlQdZQcvMVQO1BTCOFF0LzoHFZBt9E45NW0";

    @TempDir
    Path dir;

    private final List<HubEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static LinkConfig worker(String jackServer) {
        return LinkConfig.builder(Role.SERVER, null).autoConnect(false).jackServerName(jackServer).build();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(HubHostileInputTest.class.getResource("/hubauth/" + name).toURI());
    }

    /** A plain handshake from {@code localAddress}: the hub's answer, or -1 when it closed without one. */
    private static int handshake(String localAddress, int hubPort, int udpPort, String name) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", hubPort), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(HubHandshake.request(udpPort, name));
            final byte[] answer = new byte[4];
            try {
                new DataInputStream(s.getInputStream()).readFully(answer);
            } catch (java.io.EOFException e) {
                return -1;
            }
            return HubHandshake.parseResponse(answer);
        }
    }

    /** Streams silence to a slot from {@code udp} until the hub has a JACK client for it. */
    private static void sendAudio(DatagramChannel udp, int slotPort, int packets) {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.packetLength(PERIOD, 2, 16));
        try {
            for (int i = 0; i < packets; i++) {
                b.clear();
                PacketHeader.write(b, 0, 0L, i, PERIOD, SampleRateCode.SR48, 16, 2, 2);
                udp.send(b, new InetSocketAddress("127.0.0.1", slotPort));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean socketExists(String name) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/dev/shm"))) {
            return entries.anyMatch(p -> p.getFileName().toString().matches("jack_\\Q" + name + "\\E_[0-9]+_0"));
        }
    }

    private boolean anyEventHasControlCharacters() {
        return events.stream().anyMatch(e -> (e.name() + e.message()).chars()
                .anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT));
    }

    @Test
    void a_client_named_like_the_hubs_jack_server_gets_another_name_and_the_server_keeps_its_socket()
            throws Exception {
        try (JackServer h = JackServer.start(RATE, PERIOD, 2, 2);
             HubServer hub = HubServer.start(new HubConfig(25_864, 25_870, 16, PatchMode.NONE, false, false,
                     worker(h.name())), events::add);
             DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 25_880))) {
            assertTrue(socketExists(h.name()), "the server's socket before");
            // -K NAME, NAME being the hub's own JACK server.
            final int slot = handshake("127.0.0.1", hub.tcpPort(), 25_880, h.name());
            assertTrue(slot >= 25_870, "no slot: " + slot + " " + events);
            Deadlines.await(Duration.ofSeconds(10), () -> {
                sendAudio(udp, slot, 8);
                return !hub.clients().isEmpty() && hub.clients().get(0).jackName() != null;
            }, () -> "a JACK client for the slot: " + events);
            assertEquals(h.name() + "-01", hub.clients().get(0).jackName(), events::toString);
            assertTrue(socketExists(h.name()), "the server's socket was replaced");

            // It leaves; the next client still gets a JACK client, as it did not once the socket was gone.
            final ByteBuffer stop = ByteBuffer.allocate(StopPacket.LENGTH);
            StopPacket.write(stop, 0);
            udp.send(stop, new InetSocketAddress("127.0.0.1", slot));
            Deadlines.await(Duration.ofSeconds(10), () -> hub.clients().isEmpty(), () -> "it left: " + events);
            try (DatagramChannel next = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 25_881))) {
                final int again = handshake("127.0.0.1", hub.tcpPort(), 25_881, "after");
                Deadlines.await(Duration.ofSeconds(10), () -> {
                    sendAudio(next, again, 8);
                    return h.lsp().contains("after:receive_1");
                }, () -> "the next client's ports: " + h.lsp() + " " + events);
            }
        }
    }

    @Test
    void names_and_user_names_with_terminal_codes_and_line_breaks_never_reach_an_event_raw() throws Exception {
        final Path users = dir.resolve("users");
        Files.writeString(users, "alice:" + SECRET1 + ":*\n");
        final HubAuthFiles auth = new HubAuthFiles(resource("hub-cert.pem"), resource("hub-key.pem"), users);
        final String name = "evil\u001b[2J\r\nFORGED LINE\u0007\u202e";
        try (HubServer plain = HubServer.start(new HubConfig(25_964, 25_970, 16, PatchMode.NONE, false, false,
                worker(null)), events::add);
             HubServer authenticating = HubServer.start(new HubConfig(25_984, 25_990, 16, PatchMode.NONE, false,
                     false, worker(null), auth), events::add)) {
            assertTrue(handshake("127.0.0.1", plain.tcpPort(), 25_975, name) >= 25_970, events::toString);
            assertEquals("evil_[2J__FORGED LINE__", plain.clients().get(0).name());
            final HubException refused = assertThrows(HubException.class, () -> HubHandshakeClient.requestPort(
                    new InetSocketAddress("127.0.0.1", authenticating.tcpPort()), 25_995, "x", Duration.ofSeconds(5),
                    new HubLogin("mallory\r\nFORGED\u001b[31m", "guess".toCharArray(), HubTrust.any())));
            assertTrue(refused.getMessage().contains("refused the user name 'mallory\\u{D}\\u{A}FORGED\\u{1B}[31m'"),
                    refused.getMessage());
            Deadlines.await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e ->
                    e.message().contains("refused 'mallory\\u{D}\\u{A}FORGED\\u{1B}[31m'")), events::toString);
            assertTrue(events.stream().anyMatch(e -> e.message().contains("its name 'evil\\u{1B}[2J\\u{D}\\u{A}FORGED"
                    + " LINE\\u{7}\\u{202E}'")), events::toString);
            assertFalse(anyEventHasControlCharacters(), events::toString);
        }
    }

    @Test
    void a_flood_of_handshakes_from_one_address_leaves_slots_for_everyone_else() throws Exception {
        try (HubServer hub = HubServer.start(new HubConfig(26_064, 26_070, 16, PatchMode.NONE, false, false,
                worker(null)), events::add)) {
            int given = 0;
            final long start = System.nanoTime();
            for (int i = 0; i < 1024; i++) {
                if (handshake("127.0.0.1", hub.tcpPort(), 30_000 + i, "flood" + i) >= 0) {
                    given++;
                }
            }
            // A slot that never streams is freed 10 s after its handshake and may be taken again:
            // on a slow machine the flood can outlast that.
            final long rounds = 1 + (System.nanoTime() - start) / java.util.concurrent.TimeUnit.SECONDS.toNanos(
                    HubWorker.IDLE_SECONDS);
            assertTrue(given >= HubServer.MAX_WAITING_PER_ADDRESS && given <= rounds * HubServer.MAX_WAITING_PER_ADDRESS,
                    given + " slots given in " + rounds + " rounds of " + HubWorker.IDLE_SECONDS + " s: " + events);
            assertEquals(1024 - given, hub.addressRefusals());
            assertTrue(hub.clients().size() <= HubServer.MAX_WAITING_PER_ADDRESS, hub.clients()::toString);
            // The flood said so a few times at most, not 1020 times.
            assertTrue(events.stream().filter(e -> e.kind() == HubEvent.Kind.REFUSED).count() <= 3, events::toString);
            // A real client from elsewhere still gets a slot at once.
            assertTrue(handshake("127.0.0.2", hub.tcpPort(), 26_100, "real") >= 26_070, events::toString);
        }
    }

    @Test
    void password_guesses_from_one_address_are_slowed_and_then_not_even_checked() throws Exception {
        final Path users = dir.resolve("users");
        Files.writeString(users, "alice:" + SECRET1 + ":*\n");
        final HubAuthFiles auth = new HubAuthFiles(resource("hub-cert.pem"), resource("hub-key.pem"), users);
        try (HubServer hub = HubServer.start(new HubConfig(26_164, 26_170, 16, PatchMode.NONE, false, false,
                worker(null), auth), events::add)) {
            for (int i = 0; i < 20; i++) {
                final int n = i;
                assertThrows(HubException.class, () -> HubHandshakeClient.requestPort(
                        new InetSocketAddress("127.0.0.1", hub.tcpPort()), 26_180, "x", Duration.ofSeconds(5),
                        new HubLogin("alice", ("guess" + n).toCharArray(), HubTrust.any())));
            }
            assertEquals(20, hub.count(HubListener.Counter.LOGIN_REFUSED));
            // Three are checked; after them each try waits 1 s, then 2, 4 ... from the last failure,
            // a try inside the wait counting as one. A try after a handshake slower than the wait
            // would be checked: on a loaded machine one or two may be.
            final long throttled = hub.count(HubListener.Counter.LOGIN_THROTTLED);
            assertTrue(throttled >= 15 && throttled <= 17, throttled + " of 20 throttled: " + events);
            // By now the wait is a minute: the right password is refused unchecked too, so a guesser
            // cannot tell a hit from a miss.
            assertThrows(HubException.class, () -> HubHandshakeClient.requestPort(
                    new InetSocketAddress("127.0.0.1", hub.tcpPort()), 26_180, "x", Duration.ofSeconds(5),
                    new HubLogin("alice", "secret1".toCharArray(), HubTrust.any())));
            assertEquals(throttled + 1, hub.count(HubListener.Counter.LOGIN_THROTTLED));
            assertTrue(events.stream().anyMatch(e -> e.message().contains("refused a login from 127.0.0.1 unchecked")),
                    events::toString);
        }
    }
}
