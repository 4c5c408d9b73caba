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

    /** Why a latency test could not give a round trip. */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        /** What stood in the way. */
        public enum Reason {
            /** The link is not streaming, or is a hub server with no audio of its own. */
            NOT_STREAMING,
            /** Another test runs on it. */
            BUSY,
            /** No echo came back in time. */
            NO_ECHO
        }

        private final Reason reason;

        Failed(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        /** What stood in the way. */
        public Reason reason() {
            return reason;
        }
    }
}
