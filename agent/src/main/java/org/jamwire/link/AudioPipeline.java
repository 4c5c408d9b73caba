package org.jamwire.link;

import java.net.InetSocketAddress;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LatencyProbe;
import org.jamwire.engine.LevelMeter;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.LinkEngine;
import org.jamwire.engine.MicrosClock;
import org.jamwire.engine.PacketRing;
import org.jamwire.engine.SendSignal;
import org.jamwire.engine.StreamFormat;
import org.jamwire.net.LinkSocket;
import org.jamwire.net.PacketLoop;
import org.jamwire.net.PeerStatus;

/**
 * What a link does in each audio period, called on the audio thread (the JACK process callback or
 * the built-in backend's clock thread): it takes every datagram waiting on the non-blocking socket,
 * runs the engine, sends the engine's datagram the moment it is queued and takes what has arrived
 * since, then measures the levels and how long the callback took. No other thread wakes per period:
 * on a two-core machine a thread's wake-ups cost more CPU than the sends and receives themselves.
 * A datagram that arrives between two periods waits in the socket's buffer. Allocates nothing,
 * never waits, and takes no lock but the socket's own, which no other thread takes while it runs.
 */
public final class AudioPipeline implements AudioProcessor, SendSignal {

    private static final int OUTGOING_SLOTS = 16;
    private static final int INCOMING_SLOTS = 64;
    /** Datagrams taken per pass at most: as many as the incoming ring holds until the engine drains it. */
    private static final int RECEIVES_PER_PASS = INCOMING_SLOTS;
    private static final long NANOS_PER_MICRO = 1000;

    /** The format's rate, copied: the audio thread never calls StreamFormat (see LinkEngine). */
    private final int sampleRate;
    private final Counters counters;
    private final LinkEngine engine;
    private final PacketLoop loop;
    private final LatencyProbe probe = new LatencyProbe();
    private final LevelMeter sendLevels;
    private final LevelMeter receiveLevels;
    /** The longest callback in the current second of audio, in nanoseconds. */
    private long longestNanos;
    /** Frames run in the current second of audio. */
    private int framesThisSecond;

    /**
     * Wires the engine and the packet loop over {@code socket}.
     *
     * @param socket the link's socket, bound and non-blocking
     * @param fixedPeer the peer a client sends to, or null for a server that adopts one
     * @param format the local stream format
     * @param counters the link's counters
     * @param peer where the packet loop publishes the peer's state
     * @param clock the time the engine stamps on packets and the packet loop reads arrivals by
     */
    public AudioPipeline(LinkSocket socket, InetSocketAddress fixedPeer, StreamFormat format, Counters counters,
            PeerStatus peer, MicrosClock clock) {
        this.sampleRate = format.sampleRate();
        this.counters = counters;
        final PacketRing outgoing = new PacketRing(OUTGOING_SLOTS, format.datagramLength());
        final PacketRing incoming = new PacketRing(INCOMING_SLOTS, PacketLoop.MAX_DATAGRAM + 1);
        this.engine = new LinkEngine(format, outgoing, incoming, counters, clock, this);
        this.loop = new PacketLoop(socket, fixedPeer, format, outgoing, incoming, counters, peer, engine, clock);
        this.sendLevels = new LevelMeter(format.sendChannels(), format.sampleRate());
        this.receiveLevels = new LevelMeter(format.receiveChannels(), format.sampleRate());
    }

    @Override
    public void process(float[][] inputs, float[][] outputs, int frames) {
        final long entered = System.nanoTime();
        loop.receiveWaiting(RECEIVES_PER_PASS);
        probe.replaceSend(inputs, frames);
        engine.process(inputs, outputs, frames);
        probe.capturePlayed(outputs, frames);
        sendLevels.measure(inputs, frames);
        receiveLevels.measure(outputs, frames);
        timed(System.nanoTime() - entered, frames);
    }

    /**
     * Sends the datagram the engine just queued, then takes what arrived since the period began:
     * the engine drains its incoming ring right after this, so a datagram that came in while the
     * callback ran is still played in this period.
     */
    @Override
    public void ring() {
        loop.sendQueued();
        loop.receiveWaiting(RECEIVES_PER_PASS);
    }

    /**
     * Keeps the longest callback of the current second of audio and publishes it, rounded up to
     * the microsecond, once the second is over: a counter the control thread reads, never a lock.
     */
    private void timed(long nanos, int frames) {
        longestNanos = Math.max(longestNanos, nanos);
        framesThisSecond += frames;
        if (framesThisSecond >= sampleRate) {
            counters.set(LinkCounter.CALLBACK_MAX_US, (longestNanos + NANOS_PER_MICRO - 1) / NANOS_PER_MICRO);
            longestNanos = 0;
            framesThisSecond = 0;
        }
    }

    /** The packet loop, for the control thread while no audio client runs and to pin or stop the peer. */
    public PacketLoop loop() {
        return loop;
    }

    /** The latency probe the audio thread runs; a latency test arms it. */
    public LatencyProbe probe() {
        return probe;
    }

    /** Levels of the audio this end sends, per channel, as the audio thread last measured them. */
    public LevelMeter sendLevels() {
        return sendLevels;
    }

    /** Levels of the audio this end plays from the network, per channel. */
    public LevelMeter receiveLevels() {
        return receiveLevels;
    }

    /** Asks the engine to start its queue afresh at its next period, as after the audio server's return. */
    void requestReset() {
        engine.requestReset();
    }
}
