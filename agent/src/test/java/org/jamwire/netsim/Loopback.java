package org.jamwire.netsim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleRateCode;
import org.jamwire.testing.Deadlines;

/**
 * A client socket and a server {@link Sink} on loopback with a {@link Relay} between them: the
 * test thread sends JackTrip-shaped datagrams from the client and reads what reached the server.
 */
final class Loopback implements AutoCloseable {

    final Sink server;
    final Sink client;
    final Relay relay;
    private final InetSocketAddress relayAddress;
    private final ByteBuffer tx = ByteBuffer.allocate(65536);
    private int sent;

    private Loopback(Sink server, Sink client, Relay relay) {
        this.server = server;
        this.client = client;
        this.relay = relay;
        this.relayAddress = new InetSocketAddress("127.0.0.1", relay.localPort());
    }

    static Loopback through(Impairment toServer, Impairment toClient) throws IOException {
        final Sink server = Sink.open();
        final Sink client = Sink.open();
        return new Loopback(server, client, Relay.start(0, server.address(), toServer, toClient));
    }

    static Loopback through(Impairment toServer) throws IOException {
        return through(toServer, Impairment.none());
    }

    /** Datagrams the client has sent. */
    int sent() {
        return sent;
    }

    /**
     * Writes a JackTrip audio datagram of {@code length} bytes (16 + a multiple of 4: 2 channels
     * of 16 bits) with sequence number {@code seq} into a reused buffer.
     */
    ByteBuffer audio(int seq, int length) {
        tx.clear();
        PacketHeader.write(tx, 0, 0L, seq, (length - PacketHeader.LENGTH) / 4,
                SampleRateCode.SR48, 16, 2, 2);
        tx.limit(length).position(0);
        return tx;
    }

    /** Sends audio with sequence number {@code seq} from the client to the relay. */
    void sendToServer(int seq, int length) throws IOException {
        client.send(audio(seq, length), relayAddress);
        sent++;
    }

    /** Sends audio from the server to the relay's server-facing port. */
    void sendToClient(int seq, int length) throws IOException {
        server.send(audio(seq, length), new InetSocketAddress("127.0.0.1", relay.serverFacingPort()));
    }

    /**
     * Sends {@code count} datagrams with sequence numbers 0, 1, ... to the server, {@code window}
     * at a time, and after each window waits until the relay has decided on all of them and the
     * server has received everything the relay sent, so no socket buffer ever overflows.
     */
    void sendInLockstep(int count, int length, int window) throws IOException {
        for (int seq = 0; seq < count; seq++) {
            sendToServer(seq, length);
            if ((seq + 1) % window == 0 || seq + 1 == count) {
                awaitQuiet();
            }
        }
    }

    /** Waits until the relay has decided on and sent everything, held datagrams aside. */
    void awaitQuiet() {
        final RelayRecord r = relay.record();
        Deadlines.await(Duration.ofSeconds(10), () -> r.arrived(Direction.TO_SERVER) == sent
                && relay.queued() == 0 && server.count() == r.sent(Direction.TO_SERVER),
                () -> "relay quiet after " + sent + " sent: " + r.summary() + "server got "
                        + server.count());
    }

    /** An unrelated socket's datagram to the relay's server-facing port. */
    static void sendFromStranger(ByteBuffer datagram, int port) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.send(datagram, new InetSocketAddress("127.0.0.1", port));
        }
    }

    @Override
    public void close() throws IOException {
        relay.stop();
        server.close();
        client.close();
    }
}
