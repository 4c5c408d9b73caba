package org.jamwire.link;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioSession;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.MicrosClock;
import org.jamwire.engine.StreamFormat;
import org.jamwire.net.PeerStatus;

/**
 * A link's control thread: every {@value #SUPERVISE_MILLIS} ms it reads what the audio thread
 * published and turns it into the link's state and events (the peer connected, stopped or timed
 * out, datagrams dropped while waiting, periods that failed, a stuck audio server), and when the
 * audio server goes away it keeps receiving until the server is back. It ends when the link stops.
 */
final class LinkSupervisor implements Runnable {

    private static final long SUPERVISE_MILLIS = 100;
    private static final long SUPERVISE_NANOS = TimeUnit.MILLISECONDS.toNanos(SUPERVISE_MILLIS);
    /** How long after the start a link waits for its first audio period before saying it has none. */
    private static final long IDLE_AUDIO_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Datagrams taken per pass at most while no audio client runs: more than a pass's worth at any period. */
    private static final int RECEIVES_WITHOUT_AUDIO = 10_000;
    private static final long AUDIO_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Fewest seconds between two warnings about datagrams a waiting link dropped. */
    private static final int DROP_REPORT_SECONDS = 10;

    private final Link link;
    private final LinkConfig config;
    private final StreamFormat format;
    private final AudioPipeline pipeline;
    private final AudioBackend backend;
    private final ProcessorSlot slot;
    private final PeerStatus peer;
    private final Counters counters;
    private final MicrosClock clock;

    /**
     * Watches {@code link}, whose audio clients it reopens on {@code backend} with {@code slot}
     * running {@code pipeline}; {@code clock} is the one the packet loop times arrivals on.
     */
    LinkSupervisor(Link link, AudioPipeline pipeline, AudioBackend backend, ProcessorSlot slot, PeerStatus peer,
            Counters counters, MicrosClock clock) {
        this.link = link;
        this.config = link.config();
        this.format = link.format();
        this.pipeline = pipeline;
        this.backend = backend;
        this.slot = slot;
        this.peer = peer;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public void run() {
        boolean announced = false;
        boolean formatChecked = false;
        long reportedFailures = 0;
        long nextFailureReport = 0;
        final long begun = System.nanoTime();
        boolean idleAudioWarned = false;
        final DropReport strangers = new DropReport();
        final DropReport foreigners = new DropReport();
        long nextStat = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, config.ioStatSeconds()));
        while (link.running()) {
            LockSupport.parkNanos(SUPERVISE_NANOS);
            final long now = System.nanoTime();
            if (!announced && peer.lastReceiveNanos() != 0) {
                announced = true;
                link.setStateIfRunning(Link.State.CONNECTED);
                link.emit(LinkEvent.Kind.PEER_CONNECTED, "receiving from " + hostPort(peer.peer()));
            }
            if (!formatChecked && peer.peerFrames() > 0) {
                formatChecked = true;
                warnOnFormatDifferences();
            }
            if (peer.mismatch()) {
                link.shutdown(Link.State.FAILED, LinkEvent.Kind.MISMATCH, Mismatch.describe(format,
                        peer.mismatchRateCode(),
                        peer.mismatchBits()));
                return;
            }
            if (peer.peerStopped()) {
                link.shutdown(Link.State.STOPPED, LinkEvent.Kind.PEER_STOPPED, "the peer stopped the link");
                return;
            }
            final AudioSession session = link.session();
            if (!session.isAlive() && !recoverAudio()) {
                return;
            }
            reportDrops(strangers, foreigners, now);
            if (!idleAudioWarned && now - begun > IDLE_AUDIO_NANOS && session.periods() == 0) {
                idleAudioWarned = true;
                link.emit(LinkEvent.Kind.WARNING, "the audio server has not run this link's client in "
                        + TimeUnit.NANOSECONDS.toSeconds(IDLE_AUDIO_NANOS) + " s (" + session.xruns()
                        + " xruns): it is stuck or overloaded; nothing is sent or played until it does");
            }
            final long failures = session.processorFailures();
            if (failures < reportedFailures) {
                reportedFailures = 0; // a new audio session counts from 0
            }
            if (failures > reportedFailures && now - nextFailureReport >= 0) {
                link.emit(LinkEvent.Kind.WARNING, "the link failed in " + (failures - reportedFailures)
                        + " audio periods and played silence in them: " + session.lastProcessorFailure());
                reportedFailures = failures;
                nextFailureReport = now + TimeUnit.SECONDS.toNanos(1);
            }
            if (peerTimedOut()) {
                link.shutdown(Link.State.STOPPED, LinkEvent.Kind.TIMEOUT, "no audio from the peer for "
                        + config.peerTimeoutSeconds() + " s; stopping");
                return;
            }
            if (config.ioStatSeconds() > 0 && now >= nextStat) {
                nextStat += TimeUnit.SECONDS.toNanos(config.ioStatSeconds());
                link.emit(LinkEvent.Kind.STATS, link.stats().statLine());
            }
        }
    }

    /** True when the peer has sent nothing for the timeout; the packet loop's arrival times are on {@link #clock}. */
    private boolean peerTimedOut() {
        final long last = peer.lastReceiveNanos();
        return config.peerTimeoutSeconds() > 0 && last != 0
                && clock.micros() * 1000L - last > TimeUnit.SECONDS.toNanos(config.peerTimeoutSeconds());
    }

    /** Warns about datagrams a waiting link dropped: in another format, or from outside its pin. */
    private void reportDrops(DropReport strangers, DropReport foreigners, long now) {
        final long strange = peer.stranger() == null ? 0
                : strangers.due(counters.get(LinkCounter.DROPPED_MISMATCH), now);
        if (strange > 0) {
            link.emit(LinkEvent.Kind.WARNING, datagrams(strange) + " from " + hostPort(peer.stranger())
                    + " dropped, still waiting for a peer: " + Mismatch.describe(format, peer.strangerRateCode(),
                            peer.strangerBits()));
        }
        final long foreign = peer.peer() != null || peer.lastForeign() == null ? 0
                : foreigners.due(counters.get(LinkCounter.DROPPED_FOREIGN), now);
        if (foreign > 0) {
            link.emit(LinkEvent.Kind.WARNING, datagrams(foreign) + " from " + hostPort(peer.lastForeign())
                    + " dropped: this server takes its peer from " + config.pin() + " only (--peer); still waiting");
        }
    }

    /**
     * The audio server went away: says so, keeps the socket, and opens a new client every half
     * second until the server is back with the same rate and period. Returns false if the link
     * stopped meanwhile or the server came back with other settings.
     */
    private boolean recoverAudio() {
        final Link.State before = link.loseAudio();
        if (before == null) {
            return false;
        }
        link.emit(LinkEvent.Kind.AUDIO_LOST, "the audio server went away; waiting for it to come back"
                + " (the link resumes when it does)");
        link.session().close();
        while (link.running()) {
            receiveWithoutAudio(AUDIO_RETRY_NANOS);
            final AudioSession again;
            try {
                again = backend.open(LinkOpening.spec(config), slot);
            } catch (AudioBackendException e) {
                continue;
            }
            if (again.sampleRate() != format.sampleRate() || again.bufferSize() != format.bufferSize()) {
                again.close();
                link.shutdown(Link.State.FAILED, LinkEvent.Kind.AUDIO_LOST, "the audio server came back at "
                        + again.sampleRate()
                        + " Hz and " + again.bufferSize() + " frames instead of " + format.sampleRate() + " Hz and "
                        + format.bufferSize() + "; start the link again");
                return false;
            }
            pipeline.requestReset();
            // Hands the pipeline back to the audio thread (a volatile write it reads each period).
            slot.install(pipeline);
            try {
                if (!link.resumeAudio(again, before)) {
                    return false;
                }
            } catch (AudioBackendException e) {
                continue;
            }
            link.emit(LinkEvent.Kind.AUDIO_BACK, "the audio server is back; streaming again");
            return true;
        }
        return false;
    }

    /**
     * While no audio client runs, receives on this thread for {@code nanos}, so that the peer's
     * packets, its stop packet and its silence are still seen.
     */
    private void receiveWithoutAudio(long nanos) {
        final long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && link.running(); left = end - System.nanoTime()) {
            link.receiveWithoutAudio(RECEIVES_WITHOUT_AUDIO);
            LockSupport.parkNanos(Math.min(left, SUPERVISE_NANOS));
        }
    }

    private void warnOnFormatDifferences() {
        if (peer.peerFrames() != format.bufferSize()) {
            link.emit(LinkEvent.Kind.WARNING, "the peer sends " + peer.peerFrames() + "-frame packets and this end"
                    + " runs " + format.bufferSize() + " frames per period; streaming anyway, as jacktrip does, "
                    + "but latency and glitches are best with equal JACK buffer sizes (jackd -p)");
        }
        if (peer.peerChannels() != format.receiveChannels()) {
            link.emit(LinkEvent.Kind.WARNING, "the peer sends " + peer.peerChannels() + " channels and this end"
                    + " plays " + format.receiveChannels() + "; the first " + Math.min(peer.peerChannels(),
                    format.receiveChannels()) + " are played, any others stay silent");
        }
    }

    private static String datagrams(long n) {
        return n + (n == 1 ? " datagram" : " datagrams");
    }

    private static String hostPort(InetSocketAddress a) {
        return a == null ? "?" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /**
     * Datagrams a waiting link dropped, said at most every {@value #DROP_REPORT_SECONDS} s: how
     * many since the last time it was said.
     */
    private static final class DropReport {
        private long reported;
        private long next;

        /** The drops to report now out of {@code count} so far, or 0 when none are new or it is too soon. */
        long due(long count, long now) {
            if (count <= reported || now - next < 0) {
                return 0;
            }
            final long n = count - reported;
            reported = count;
            next = now + TimeUnit.SECONDS.toNanos(DROP_REPORT_SECONDS);
            return n;
        }
    }
}
