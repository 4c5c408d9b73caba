package org.jamwire.audio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What every backend's session reports alike: the client's name, the rate and period the server
 * runs, its xruns, and the failures of the processor it runs through a {@link ProcessorGuard}.
 * Read on control threads; the xruns and the period's size are written by one server thread at a
 * time.
 */
public abstract class AbstractAudioSession implements AudioSession {

    private final String clientName;
    private final int sampleRate;
    private volatile int bufferSize;
    private final AtomicLong xruns = new AtomicLong();
    private final ProcessorGuard guard;

    /**
     * @param clientName the name the server gave the client
     * @param sampleRate the rate the server runs, in Hz
     * @param bufferSize the frames per period the server runs now
     * @param processor the processor the session runs each period, through {@link #guard()}
     */
    protected AbstractAudioSession(String clientName, int sampleRate, int bufferSize, AudioProcessor processor) {
        this.clientName = clientName;
        this.sampleRate = sampleRate;
        this.bufferSize = bufferSize;
        this.guard = new ProcessorGuard(processor);
    }

    /** The processor to call each period: the session's own, played as silence when it throws. */
    protected final ProcessorGuard guard() {
        return guard;
    }

    /** The server now runs periods of {@code frames}. */
    protected final void bufferSizeChanged(int frames) {
        bufferSize = frames;
    }

    /** Counts {@code n} more xruns; one thread at a time, without a lock or an atomic update. */
    protected final void addXruns(long n) {
        xruns.lazySet(xruns.get() + n);
    }

    @Override
    public final int sampleRate() {
        return sampleRate;
    }

    @Override
    public final int bufferSize() {
        return bufferSize;
    }

    @Override
    public final String clientName() {
        return clientName;
    }

    @Override
    public final long xruns() {
        return xruns.get();
    }

    @Override
    public final long processorFailures() {
        return guard.failures();
    }

    @Override
    public final Throwable lastProcessorFailure() {
        return guard.lastFailure();
    }
}
