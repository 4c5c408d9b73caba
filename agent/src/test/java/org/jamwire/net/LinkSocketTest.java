package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.Test;

/** A link's UDP socket, on loopback, against another one and against a JDK datagram channel. */
class LinkSocketTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void two_sockets_exchange_datagrams_and_the_sender_stays_the_same_object() throws Exception {
        try (LinkSocket a = LinkSocket.open(ANY_LOOPBACK); LinkSocket b = LinkSocket.open(ANY_LOOPBACK)) {
            assertTrue(a.localPort() > 0 && b.localPort() > 0 && a.localPort() != b.localPort());
            final InetSocketAddress toB = new InetSocketAddress("127.0.0.1", b.localPort());
            final ByteBuffer rx = ByteBuffer.allocateDirect(2048);
            SocketAddress first = null;
            for (int i = 0; i < 5; i++) {
                final ByteBuffer d = ByteBuffer.allocate(100 + i);
                for (int j = 0; j < d.capacity(); j++) {
                    d.put(j, (byte) (i * 7 + j));
                }
                assertTrue(a.send(d, toB), "send " + i);
                assertEquals(d.limit(), d.position(), "a send consumes the datagram");
                final SocketAddress from = receive(b, rx.clear());
                assertEquals(new InetSocketAddress("127.0.0.1", a.localPort()), from);
                if (first != null) {
                    assertSame(first, from, "the same sender is the same object");
                }
                first = from;
                assertEquals(100 + i, rx.position());
                for (int j = 0; j < 100 + i; j++) {
                    assertEquals((byte) (i * 7 + j), rx.get(j), "byte " + j + " of datagram " + i);
                }
            }
            assertNull(b.receive(rx.clear()), "nothing more waits");
        }
    }

    @Test
    void a_jdk_channel_hears_it_and_it_hears_the_channel_with_a_new_sender_each_time_one_changes() throws Exception {
        try (LinkSocket s = LinkSocket.open(ANY_LOOPBACK);
                DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.bind(ANY_LOOPBACK);
            final InetSocketAddress chAddress = (InetSocketAddress) ch.getLocalAddress();
            assertTrue(s.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), chAddress));
            final ByteBuffer got = ByteBuffer.allocate(16);
            assertEquals(new InetSocketAddress("127.0.0.1", s.localPort()), ch.receive(got));
            assertEquals(3, got.position());
            ch.send(ByteBuffer.wrap(new byte[] {9}), new InetSocketAddress("127.0.0.1", s.localPort()));
            final ByteBuffer rx = ByteBuffer.allocate(16);
            assertEquals(chAddress, receive(s, rx));
            try (LinkSocket other = LinkSocket.open(ANY_LOOPBACK)) {
                other.send(ByteBuffer.wrap(new byte[] {8}), new InetSocketAddress("127.0.0.1", s.localPort()));
                assertEquals(new InetSocketAddress("127.0.0.1", other.localPort()), receive(s, rx.clear()));
            }
        }
    }

    @Test
    void a_pinned_peer_is_returned_as_itself_even_between_strangers() throws Exception {
        try (LinkSocket s = LinkSocket.open(ANY_LOOPBACK); LinkSocket peer = LinkSocket.open(ANY_LOOPBACK);
                LinkSocket stranger = LinkSocket.open(ANY_LOOPBACK)) {
            final InetSocketAddress peerAddress = new InetSocketAddress("127.0.0.1", peer.localPort());
            s.pinSender(peerAddress);
            final InetSocketAddress toS = new InetSocketAddress("127.0.0.1", s.localPort());
            final ByteBuffer rx = ByteBuffer.allocate(16);
            for (int i = 0; i < 3; i++) {
                peer.send(ByteBuffer.allocate(4), toS);
                assertSame(peerAddress, receive(s, rx.clear()), "the peer, round " + i);
                stranger.send(ByteBuffer.allocate(4), toS);
                final SocketAddress other = receive(s, rx.clear());
                assertEquals(new InetSocketAddress("127.0.0.1", stranger.localPort()), other);
                assertTrue(other != peerAddress);
            }
        }
    }

    @Test
    void a_datagram_longer_than_the_room_left_is_cut_as_a_channel_cuts_it() throws Exception {
        try (LinkSocket a = LinkSocket.open(ANY_LOOPBACK); LinkSocket b = LinkSocket.open(ANY_LOOPBACK)) {
            a.send(ByteBuffer.allocate(500), new InetSocketAddress("127.0.0.1", b.localPort()));
            final ByteBuffer rx = ByteBuffer.allocate(300).position(100);
            receive(b, rx);
            assertEquals(300, rx.position(), "200 bytes of room took 200 bytes");
        }
    }

    @Test
    void refusals_name_what_was_wrong() throws Exception {
        try (LinkSocket a = LinkSocket.open(ANY_LOOPBACK)) {
            final BindException taken = assertThrows(BindException.class,
                    () -> LinkSocket.open(new InetSocketAddress("127.0.0.1", a.localPort())));
            assertTrue(taken.getMessage().contains("in use") && taken.getMessage().contains("" + a.localPort()),
                    taken.getMessage());
            final IOException v6 = assertThrows(IOException.class,
                    () -> LinkSocket.open(new InetSocketAddress(InetAddress.getByName("::1"), 0)));
            assertTrue(v6.getMessage().contains("IPv4"), v6.getMessage());
            assertFalse(a.send(ByteBuffer.allocate(4), new InetSocketAddress(InetAddress.getByName("::1"), 9)),
                    "an IPv6 destination is refused, not sent");
            assertFalse(a.send(ByteBuffer.allocate(70_000), new InetSocketAddress("127.0.0.1", 9)),
                    "a datagram longer than UDP allows is refused");
        }
    }

    @Test
    void waiting_sees_a_datagram_and_times_out_without_one() throws Exception {
        try (LinkSocket a = LinkSocket.open(ANY_LOOPBACK); LinkSocket b = LinkSocket.open(ANY_LOOPBACK)) {
            final long from = System.nanoTime();
            assertFalse(b.awaitDatagram(50));
            assertTrue(System.nanoTime() - from >= 40_000_000L, "it waited");
            a.send(ByteBuffer.allocate(8), new InetSocketAddress("127.0.0.1", b.localPort()));
            assertTrue(b.awaitDatagram(5_000));
        }
    }

    @Test
    void a_closed_socket_receives_nothing_and_sends_nothing() throws Exception {
        final LinkSocket a = LinkSocket.open(ANY_LOOPBACK);
        a.close();
        a.close();
        assertNull(a.receive(ByteBuffer.allocate(8)));
        assertFalse(a.send(ByteBuffer.allocate(8), new InetSocketAddress("127.0.0.1", 9)));
    }

    @Test
    void sending_and_receiving_allocate_nothing_once_the_peer_is_known() throws Exception {
        try (LinkSocket a = LinkSocket.open(ANY_LOOPBACK); LinkSocket b = LinkSocket.open(ANY_LOOPBACK)) {
            final long[] result = Pump.run(a, b, new InetSocketAddress("127.0.0.1", b.localPort()), 60_000, 50_000);
            assertTrue(result[0] > 50_000, "received " + result[0]);
            assertEquals(0, result[1], "bytes allocated in 10,000 sends and receives");
        }
    }

    /**
     * The measured loop, in a class without string constants: the JIT resolves those of the class
     * whose method it is asked to compile, on the asking thread, which would be counted here.
     */
    private static final class Pump {
        static long[] run(LinkSocket a, LinkSocket b, InetSocketAddress to, int sends, int measureFrom)
                throws IOException {
            final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            final ByteBuffer tx = ByteBuffer.allocateDirect(512);
            final ByteBuffer rx = ByteBuffer.allocateDirect(1024);
            long before = 0;
            long received = 0;
            for (int i = 0; i < sends; i++) {
                if (i == measureFrom) {
                    before = threads.getCurrentThreadAllocatedBytes();
                }
                a.send(tx.clear(), to);
                while (b.receive(rx.clear()) != null) {
                    received++;
                }
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            return new long[] {received, allocated};
        }
    }

    private static SocketAddress receive(LinkSocket s, ByteBuffer into) throws IOException {
        final SocketAddress[] from = new SocketAddress[1];
        Deadlines.await(Duration.ofSeconds(5), () -> {
            try {
                from[0] = s.receive(into);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return from[0] != null;
        }, () -> "a datagram on port " + s.localPort());
        return from[0];
    }
}
