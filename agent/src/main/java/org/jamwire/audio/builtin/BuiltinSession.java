package org.jamwire.audio.builtin;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jamwire.audio.AbstractAudioSession;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.AudioSpec;
import org.jamwire.audio.RealtimePriority;

/**
 * One client of the {@link BuiltinBackend}: a clock thread that wakes at each period's deadline,
 * fills the send channels with the test signal, runs the processor and meters both sides. A period
 * that starts more than one period late counts as an xrun and the clock skips ahead, as an audio
 * server would; the xruns count the periods skipped. Control methods are called on the control
 * thread.
 */
public final class BuiltinSession extends AbstractAudioSession {

    private final AudioSpec spec;
    private final int bufferSize;
    private final long periodNanos;
    private final TestSignal signal;
    private final Consumer<String> onClose;
    private final float[][] inputs;
    private final float[][] outputs;
    private final Meters sendMeters;
    private final Meters receiveMeters;
    private final AtomicLong periods = new AtomicLong();
    private final Thread clock;
    private final AtomicReference<Recording> recording = new AtomicReference<>();
    private volatile boolean running;
    private volatile boolean closed;

    BuiltinSession(AudioSpec spec, AudioProcessor processor, int sampleRate, int bufferSize, double clockRate,
            TestSignal signal, Consumer<String> onClose) {
        super(spec.clientName(), sampleRate, bufferSize, processor);
        this.spec = spec;
        this.bufferSize = bufferSize;
        this.periodNanos = Math.round(bufferSize * 1e9 / clockRate);
        this.signal = signal;
        this.onClose = onClose;
        this.inputs = new float[spec.sendChannels()][bufferSize];
        this.outputs = new float[spec.receiveChannels()][bufferSize];
        this.sendMeters = new Meters(spec.sendChannels());
        this.receiveMeters = new Meters(spec.receiveChannels());
        this.clock = new Thread(this::run, "jamwire-clock-" + spec.clientName());
        clock.setDaemon(true);
        clock.setPriority(Thread.MAX_PRIORITY);
    }

    @Override
    public boolean isAlive() {
        return !closed;
    }

    @Override
    public long periods() {
        return periods.get();
    }

    /** Meters of the audio sent to the network. */
    public Meters sendMeters() {
        return sendMeters;
    }

    /** Meters of the audio received from the network. */
    public Meters receiveMeters() {
        return receiveMeters;
    }

    /**
     * Records the next periods of received audio; the recording fills on the clock thread and
     * replaces any earlier one still running.
     */
    public Recording record(int frames) {
        final Recording r = new Recording(spec.receiveChannels(), frames);
        recording.set(r);
        return r;
    }

    @Override
    public void start() {
        if (!running && !closed) {
            running = true;
            clock.start();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        if (clock.isAlive() && Thread.currentThread() != clock) {
            LockSupport.unpark(clock);
            try {
                clock.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        onClose.accept(spec.clientName());
    }

    private void run() {
        RealtimePriority.applyToCurrentThread(RealtimePriority.CLOCK_PRIORITY);
        long deadline = System.nanoTime();
        while (running) {
            signal.fill(inputs, bufferSize);
            guard().process(inputs, outputs, bufferSize);
            sendMeters.measure(inputs, bufferSize);
            receiveMeters.measure(outputs, bufferSize);
            final Recording r = recording.get();
            if (r != null && !r.append(outputs, bufferSize)) {
                recording.compareAndSet(r, null);
            }
            periods.lazySet(periods.get() + 1);
            deadline += periodNanos;
            long wait = deadline - System.nanoTime();
            if (wait < -periodNanos) {
                // The time the clock fell behind is skipped, as an audio server's would be; each
                // period of it, or part of one, counts.
                addXruns((-wait + periodNanos - 1) / periodNanos);
                deadline = System.nanoTime();
                wait = 0;
            }
            while (wait > 0 && running) {
                LockSupport.parkNanos(wait);
                wait = deadline - System.nanoTime();
            }
        }
    }
}
