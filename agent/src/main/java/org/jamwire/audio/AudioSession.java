package org.jamwire.audio;

/**
 * An open audio client, delivering periods to an {@link AudioProcessor} until closed. Called from
 * the control thread.
 */
public interface AudioSession extends AutoCloseable {

    /** Sample rate in Hz, as the audio server runs it. */
    int sampleRate();

    /** Frames per period, as the audio server runs it. */
    int bufferSize();

    /** The client's actual name (the server may have changed it to keep it unique). */
    String clientName();

    /** Number of xruns the audio server reported since the session opened. */
    long xruns();

    /** Periods delivered to the processor so far. */
    long periods();

    /** Periods in which the processor threw; their output was silence. */
    long processorFailures();

    /** The processor's most recent failure, or null if it never threw. */
    Throwable lastProcessorFailure();

    /** False once the audio server has gone away or shut the client down. */
    boolean isAlive();

    /** Starts delivering periods to the processor. */
    void start() throws AudioBackendException;

    /** Stops delivering periods and releases the client. Idempotent. */
    @Override
    void close();
}
