package org.jamwire.audio;

/**
 * A source and sink of audio periods: JACK, or the built-in clocked backend. Keeps the engine free
 * of any native audio API. Called from the control thread.
 */
public interface AudioBackend {

    /** Short name for messages, e.g. {@code jack}. */
    String name();

    /**
     * How to make the server run at {@code frames} per period, for a message that says the link
     * needs it: restarting jackd with {@code -p}, unless the backend knows better.
     */
    default String periodFix(int frames) {
        return "restart " + name() + " with " + frames + " frames per period (jackd -p " + frames + ")";
    }

    /**
     * Opens a client with the given ports. Periods are not delivered until
     * {@link AudioSession#start()}.
     */
    AudioSession open(AudioSpec spec, AudioProcessor processor) throws AudioBackendException;
}
