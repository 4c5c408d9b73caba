package org.jamwire.engine;

/**
 * Every event a link counts instead of logging, declared once: an id, a short label for stat lines
 * and a meaning for documentation and the API. Incremented on the JACK thread and the packet loop,
 * read on the control thread.
 */
public enum LinkCounter {
    /** Datagrams handed to the socket. */
    DATAGRAMS_SENT("sent", "datagrams sent to the peer"),
    /** Audio packets sent (one per period, whatever the redundancy). */
    PACKETS_SENT("pkts_out", "audio packets sent, one per period"),
    /** Datagrams that passed every check. */
    DATAGRAMS_RECEIVED("recv", "valid datagrams received from the peer"),
    /** Audio packets handed to the receive queue, revived ones included. */
    PACKETS_RECEIVED("pkts_in", "audio packets delivered to the receive queue"),
    /** Packets missing from the sequence: neither revived from a copy nor arrived reordered. */
    PACKETS_LOST("lost", "packets missing from the sequence, not revived and not arrived since"),
    /** Packets recovered from the redundant copies in a later datagram. */
    PACKETS_REVIVED("revived", "lost packets recovered from redundant copies"),
    /** Packets that arrived after a newer one and took their place in the queue. */
    PACKETS_REORDERED("reordered", "packets arriving after a newer one, queued in their place and no longer lost"),
    /** Packets whose place had already been played, concealed, when they came (audio thread). */
    PACKETS_LATE("late", "packets arriving after their place was played (it was concealed)"),
    /** Datagrams whose newest packet was already delivered. */
    PACKETS_DUPLICATE("dup", "datagrams bringing no packet not already delivered, dropped"),
    /** Datagrams older than the reorder window or than the link's first packet. */
    PACKETS_STALE("stale", "datagrams too old to place (over 64 packets back), dropped"),
    /** Datagrams from an address other than the link's peer. */
    DROPPED_FOREIGN("foreign", "datagrams from a source other than the peer, dropped"),
    /** Datagrams shorter than a header. */
    DROPPED_SHORT("short", "datagrams shorter than the 16-byte header, dropped"),
    /** Datagrams whose header disagrees with their length or holds impossible values. */
    DROPPED_MALFORMED("malformed", "datagrams with an invalid header or length, dropped"),
    /** 63-byte control datagrams that are not the stop packet. */
    DROPPED_CONTROL("control", "63-byte control datagrams other than stop, ignored"),
    /** Datagrams whose sample rate or bit depth differs from this end's. */
    DROPPED_MISMATCH("mismatch", "datagrams with another sample rate or bit depth, dropped"),
    /** Receive errors reported by the socket. */
    RECEIVE_ERRORS("rx_err", "socket receive errors"),
    /** Send errors reported by the socket. */
    SEND_ERRORS("tx_err", "socket send errors"),
    /** Periods the packet loop could not keep up with: the send queue was full. */
    SEND_QUEUE_FULL("tx_full", "periods not sent because the send queue was full"),
    /** Packets the audio thread could not keep up with: the receive queue was full. */
    RECEIVE_QUEUE_FULL("rx_full", "packets dropped because the receive queue was full"),
    /** Periods played with frames that had not arrived yet. */
    UNDERRUNS("underrun", "periods played before all their audio had arrived (the rest concealed)"),
    /** Frames played from concealment in place of lost or late audio, silence included. */
    CONCEALED("concealed", "frames made up for lost or late audio"),
    /** Periods of audio skipped because the receive queue held more than its length for a second. */
    OVERFLOWS("overflow", "periods skipped because the queue held them too long (over its length for a second)"),
    /**
     * Times playback stepped back to play audio that kept arriving late, holding until the queue
     * was full again: what had been concealed became delay.
     */
    STEP_BACKS("stepback", "times packets kept arriving late and playback stepped back to play them"),
    /** Audio frames currently queued for playback (a level, not a count). */
    QUEUE_LEVEL("level_frames", "frames queued for playback now"),
    /** The receive queue's target level in frames (a level, not a count). */
    QUEUE_TARGET("target_frames", "frames the receive queue aims to hold"),
    /** Times {@code -q auto} shortened its queue by a period. */
    QUEUE_SHRINKS("shrinks", "times the automatic queue shortened itself by a period"),
    /** Times {@code -q auto} lengthened its queue by a period, holding at a gap. */
    QUEUE_GROWS("grows", "times the automatic queue lengthened itself by a period at a gap"),
    /** Smoothed packet arrival jitter, as RTP estimates it (a level, not a count). */
    JITTER_US("jitter_us", "packet arrival jitter in microseconds, smoothed as in RFC 3550"),
    /** Periods resampled to follow the peer's audio clock. */
    DRIFT_CORRECTIONS("drift_fix", "periods resampled to follow the peer's audio clock"),
    /**
     * How much faster the peer's audio clock runs than this end's, once measured clear of noise
     * (a level, not a count; 0 until then, and on one clock).
     */
    DRIFT_PPM("drift_ppm", "the peer's audio clock against this end's, in parts per million, once measured"),
    /**
     * The longest audio callback of the last full second of audio, in microseconds: the callback
     * sends and receives on the socket itself (a level, not a count; 0 until a second has run).
     */
    CALLBACK_MAX_US("callback_max_us", "the longest audio callback of the last second, in microseconds");

    private final String label;
    private final String meaning;

    LinkCounter(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    /** Short label for stat lines and JSON keys. */
    public String label() {
        return label;
    }

    /** One-line meaning for documentation and the API. */
    public String meaning() {
        return meaning;
    }

    /**
     * Whether it only ever grows while the link runs: false for the levels, and for the packets lost,
     * which go down again when a reordered packet arrives after all.
     */
    public boolean onlyGrows() {
        return switch (this) {
            case QUEUE_LEVEL, QUEUE_TARGET, JITTER_US, DRIFT_PPM, CALLBACK_MAX_US, PACKETS_LOST -> false;
            default -> true;
        };
    }

    /**
     * Which way of the link it counts: {@code send}, {@code receive}, or {@code audio} for the audio
     * callback that does both.
     */
    public String direction() {
        return switch (this) {
            case DATAGRAMS_SENT, PACKETS_SENT, SEND_ERRORS, SEND_QUEUE_FULL -> "send";
            case CALLBACK_MAX_US -> "audio";
            default -> "receive";
        };
    }
}
