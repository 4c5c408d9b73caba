package org.jamwire.net;

import java.net.InetSocketAddress;

/**
 * What the packet loop has learned about the peer, published for the control thread: written only
 * by the packet loop (and before it starts), read by anyone. Plain volatile fields, no allocation.
 */
public final class PeerStatus {

    volatile InetSocketAddress peer;
    volatile long lastReceiveNanos;
    volatile int peerRateCode = -1;
    volatile int peerBits = -1;
    volatile int peerFrames = -1;
    volatile int peerChannels = -1;
    volatile int peerReceiveChannels = -1;
    volatile boolean peerStopped;
    volatile int mismatchRateCode = -1;
    volatile int mismatchBits = -1;
    volatile InetSocketAddress stranger;
    volatile InetSocketAddress lastForeign;
    volatile int strangerRateCode = -1;
    volatile int strangerBits = -1;

    /** The peer's address, or null while a server waits for its first datagram. */
    public InetSocketAddress peer() {
        return peer;
    }

    /**
     * When the last valid datagram came, in nanoseconds on the packet loop's clock (its
     * microseconds times 1000), or 0 before the first.
     */
    public long lastReceiveNanos() {
        return lastReceiveNanos;
    }

    /** Sample-rate code of the peer's packets, or -1 before the first. */
    public int peerRateCode() {
        return peerRateCode;
    }

    /** Bit resolution of the peer's packets, or -1 before the first. */
    public int peerBits() {
        return peerBits;
    }

    /** Frames per packet the peer sends, or -1 before the first. */
    public int peerFrames() {
        return peerFrames;
    }

    /** Channels in the peer's payload, or -1 before the first. */
    public int peerChannels() {
        return peerChannels;
    }

    /** Channels the peer says it receives (header byte 14), or -1 before the first. */
    public int peerReceiveChannels() {
        return peerReceiveChannels;
    }

    /** True once the peer sent the stop packet. */
    public boolean peerStopped() {
        return peerStopped;
    }

    /** True once a datagram with another sample rate or bit depth arrived. */
    public boolean mismatch() {
        return mismatchRateCode >= 0;
    }

    /** Rate code of the mismatching datagram, or -1. */
    public int mismatchRateCode() {
        return mismatchRateCode;
    }

    /** Bit resolution of the mismatching datagram, or -1. */
    public int mismatchBits() {
        return mismatchBits;
    }

    /**
     * The last source a waiting server dropped for sending another sample rate or bit depth, or
     * null. It was not adopted: the link still waits.
     */
    public InetSocketAddress stranger() {
        return stranger;
    }

    /** Rate code of {@link #stranger()}'s last datagram, or -1. */
    public int strangerRateCode() {
        return strangerRateCode;
    }

    /** Bit resolution of {@link #stranger()}'s last datagram, or -1. */
    public int strangerBits() {
        return strangerBits;
    }

    /** The last source a pinned server dropped while it waited for its peer, or null. */
    public InetSocketAddress lastForeign() {
        return lastForeign;
    }
}
