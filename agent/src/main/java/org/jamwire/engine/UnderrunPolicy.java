package org.jamwire.engine;

/**
 * What the receive queue plays in place of audio that did not arrive: a lost packet or a period the
 * network left short. Chosen on the control thread when a link starts; read by the JACK thread's
 * {@link Concealer}. Every policy crossfades back into real audio over one period when packets
 * resume, and every concealment fades to silence once an outage passes about 40 ms.
 */
public enum UnderrunPolicy {
    /** Silence, as jacktrip's jitter buffer strategies (0, 1, 2) play. */
    ZEROS,
    /** The last period played, looped: jacktrip's ring buffer "wavetable" ({@code --bufstrategy -1}). */
    REPEAT,
    /**
     * Linear prediction: Burg's method fits an all-pole model to the last played audio, which is
     * then run on past the gap, as jacktrip's {@code --bufstrategy 3} does.
     */
    PREDICT
}
