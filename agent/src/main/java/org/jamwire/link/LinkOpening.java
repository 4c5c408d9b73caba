package org.jamwire.link;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioSession;
import org.jamwire.audio.AudioSpec;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.StreamFormat;
import org.jamwire.net.LinkSocket;
import org.jamwire.net.PacketLoop;
import org.jamwire.protocol.PacketHeader;

/**
 * How a link starts: resolves its peer, binds its socket, opens its audio client, checks that the
 * audio server's period and UDP can carry its settings, and starts it. Each failure comes with a
 * message that tells the user what to do, and leaves nothing open. Called on the control thread
 * that starts the link.
 */
final class LinkOpening {

    private LinkOpening() {}

    /**
     * Starts a link on {@code socket}, which it owns from here and closes even when it cannot start.
     *
     * @param fixedPeer the peer to send to, or null for a server that adopts one
     * @param pinned the only address a server may adopt, or null for any
     */
    static Link start(LinkConfig config, LinkSocket socket, InetSocketAddress fixedPeer,
            InetAddress pinned, AudioBackend backend, Consumer<LinkEvent> listener) throws LinkException {
        AudioSession session = null;
        try {
            final ProcessorSlot slot = new ProcessorSlot();
            session = backend.open(spec(config), slot);
            checkBufferSize(config, session, backend);
            checkDatagramSize(config, session.bufferSize());
            final Link link = new Link(config, socket, backend, session, slot, fixedPeer, pinned, listener);
            try {
                session.start();
            } catch (AudioBackendException | RuntimeException e) {
                link.stop();
                throw new LinkException(e.getMessage(), e);
            }
            link.startSupervisor();
            link.emit(LinkEvent.Kind.LISTENING, describe(link));
            return link;
        } catch (AudioBackendException e) {
            close(socket, session);
            throw new LinkException(e.getMessage(), e);
        } catch (LinkException | RuntimeException e) {
            close(socket, session);
            throw e;
        }
    }

    /** The audio client a link asks for. */
    static AudioSpec spec(LinkConfig config) {
        return new AudioSpec(config.effectiveClientName(), config.sendChannels(), config.receiveChannels(),
                config.autoConnect());
    }

    /** The client's peer, resolved before the socket is bound, so that an unknown name leaves nothing open. */
    static InetSocketAddress resolve(LinkConfig config) throws LinkException {
        try {
            return new InetSocketAddress(InetAddress.getByName(config.peerHost()), config.peerPort());
        } catch (UnknownHostException e) {
            throw new LinkException("cannot resolve peer host '" + config.peerHost()
                    + "': check the name, or give an IP address");
        }
    }

    /** The only address a server takes its peer from (--peer). */
    static InetAddress resolvePin(LinkConfig.PeerPin pin) throws LinkException {
        try {
            return InetAddress.getByName(pin.host());
        } catch (UnknownHostException e) {
            throw new LinkException("cannot resolve the pinned peer '" + pin.host()
                    + "' (--peer): check the name, or give an IP address");
        }
    }

    /** Opens a link's socket on {@code port}, saying what to do when the port is taken. */
    static LinkSocket bind(int port) throws LinkException {
        try {
            return LinkSocket.open(new InetSocketAddress(port));
        } catch (BindException e) {
            throw new LinkException("UDP port " + port + " is already in use: stop the program "
                    + "using it, or pick other ports with -o/--portoffset (e.g. -o 10 for 4474)");
        } catch (IOException e) {
            throw new LinkException("cannot open UDP port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Refuses an audio server whose period is not the one the user required (-z). */
    static void checkBufferSize(LinkConfig config, AudioSession session, AudioBackend backend)
            throws LinkException {
        if (config.expectedBufferSize() > 0 && config.expectedBufferSize() != session.bufferSize()) {
            throw new LinkException("-z " + config.expectedBufferSize() + " does not match " + backend.name()
                    + "'s buffer size of " + session.bufferSize() + " frames: " + backend.periodFix(
                            config.expectedBufferSize()) + ", or run with -z " + session.bufferSize());
        }
    }

    /**
     * Refuses a link whose datagrams would not fit in UDP over IPv4: each send would fail. Checked
     * for both directions, taking the peer's period to be ours.
     */
    static void checkDatagramSize(LinkConfig config, int frames) throws LinkException {
        final int bytes = config.bitResolution() / 8;
        final int channels = Math.max(config.sendChannels(), config.receiveChannels());
        final long datagram = (PacketHeader.LENGTH + (long) frames * channels * bytes) * config.redundancy();
        if (datagram <= PacketLoop.MAX_DATAGRAM) {
            return;
        }
        final long most = (PacketLoop.MAX_DATAGRAM / config.redundancy() - PacketHeader.LENGTH)
                / ((long) frames * bytes);
        throw new LinkException(String.format("%d channels of %d-bit audio at %d frames per period%s make"
                + " %d-byte datagrams, over the %d bytes UDP can carry: use at most %d channels"
                + " at these settings, or a smaller period, fewer bits%s",
                channels, config.bitResolution(), frames,
                config.redundancy() > 1 ? " with redundancy " + config.redundancy() : "", datagram,
                PacketLoop.MAX_DATAGRAM, most, config.redundancy() > 1 ? " or less redundancy" : ""));
    }

    /** What the link does now and with which settings, for its first event. */
    private static String describe(Link link) {
        final LinkConfig config = link.config();
        final StreamFormat format = link.format();
        final String where = config.role() == Role.SERVER
                ? "waiting for a client on UDP port " + link.localPort()
                        + (config.pin() == null ? "" : ", from " + config.pin() + " only")
                : "streaming to " + config.peerHost() + ":" + config.peerPort() + " from UDP port " + link.localPort();
        return where + " (" + link.clientName() + ": " + format.sampleRate() + " Hz, " + format.bufferSize()
                + " frames, " + format.bits() + "-bit, send " + format.sendChannels() + " / receive "
                + format.receiveChannels() + " channels, queue "
                + (format.queue() == ReceiveQueue.AUTO ? "auto" : format.queue())
                + ", redundancy " + format.redundancy() + ")";
    }

    private static void close(LinkSocket socket, AudioSession session) {
        if (session != null) {
            session.close();
        }
        socket.close();
    }
}
