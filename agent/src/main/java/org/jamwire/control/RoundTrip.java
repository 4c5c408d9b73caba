package org.jamwire.control;

/**
 * A latency test's result: the round trip through the far end. Immutable.
 *
 * @param frames the round trip in frames
 * @param ms the round trip in milliseconds, to two decimals
 * @param sampleRate the link's rate
 * @param periodFrames the link's period
 * @param channel the channel it was measured on, from 1
 * @param confidence how sure the echo's match is, 0 to 1, to one decimal
 */
public record RoundTrip(int frames, double ms, int sampleRate, int periodFrames, int channel, double confidence) {

    /**
     * Why a latency test could not give a round trip: the link cannot test now (it is not
     * streaming, has no audio of its own, or runs another test), or no echo came back in time.
     */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean noEcho;

        Failed(boolean noEcho, String message) {
            super(message);
            this.noEcho = noEcho;
        }

        /** Whether the test ran and no echo came back; otherwise the link could not test now. */
        public boolean noEcho() {
            return noEcho;
        }
    }
}
