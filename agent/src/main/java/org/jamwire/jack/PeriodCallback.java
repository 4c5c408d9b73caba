package org.jamwire.jack;

import com.sun.jna.Pointer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.ProcessorGuard;

/**
 * The JACK process callback: copies each send port's buffer into the engine's input arrays, runs
 * the {@link AudioProcessor} (through its {@link ProcessorGuard}), and copies the output arrays
 * into the receive ports' buffers. Called on the JACK process thread, once per period; allocates
 * nothing, takes no lock and never blocks.
 *
 * <p>Per period it makes one direct-mapped {@code jack_port_get_buffer} call per port, which
 * returns a {@code long}, and one JNI copy per port through a single {@link Pointer} whose address
 * is 0, so that the copy's offset is the buffer's absolute address. Neither creates an object.
 *
 * <p>Its arrays are sized for the current buffer size. A new size arrives through
 * {@link #resize(int)} on JACK's notification thread, before the first period of that size; the
 * new arrays are published through a volatile field.
 */
final class PeriodCallback implements JackLibrary.ProcessCallback {

    private static final int BYTES_PER_SAMPLE = Float.BYTES;

    /** Memory seen from address 0: {@code read(address, ...)} reads at {@code address}. */
    private static final Pointer ABSOLUTE = new Pointer(0);

    private final long[] sendPorts;
    private final long[] receivePorts;
    private final ProcessorGuard processor;

    /** Longest wait, in milliseconds, for the process thread to end itself before the client closes. */
    static final long FINISH_MILLIS = 1000;

    private volatile PeriodArrays arrays;
    /** Set when the client is closing: the next period ends the process thread instead. */
    private volatile boolean finishing;
    /** JACK's process thread, as the JVM knows it, once it has called in. */
    private volatile Thread processThread;
    private volatile long cycles;
    private volatile long oversizedPeriods;

    PeriodCallback(long[] sendPorts, long[] receivePorts, ProcessorGuard processor, int frames) {
        this.sendPorts = sendPorts.clone();
        this.receivePorts = receivePorts.clone();
        this.processor = processor;
        this.arrays = new PeriodArrays(sendPorts.length, receivePorts.length, frames);
    }

    @Override
    public int invoke(int frames, Pointer arg) {
        if (processThread == null) {
            processThread = Thread.currentThread();
        }
        if (finishing) {
            // A non-zero return makes libjack deactivate the client from this thread and end it.
            return 1;
        }
        final PeriodArrays current = arrays;
        if (frames > current.frames) {
            silenceReceivePorts(frames);
            oversizedPeriods = oversizedPeriods + 1;
            cycles = cycles + 1;
            return 0;
        }
        final float[][] inputs = current.inputs;
        final float[][] outputs = current.outputs;
        for (int i = 0; i < sendPorts.length; i++) {
            ABSOLUTE.read(JackLibrary.jack_port_get_buffer(sendPorts[i], frames), inputs[i], 0, frames);
        }
        processor.process(inputs, outputs, frames);
        for (int i = 0; i < receivePorts.length; i++) {
            ABSOLUTE.write(JackLibrary.jack_port_get_buffer(receivePorts[i], frames), outputs[i], 0, frames);
        }
        cycles = cycles + 1;
        return 0;
    }

    private void silenceReceivePorts(int frames) {
        for (final long port : receivePorts) {
            ABSOLUTE.setMemory(JackLibrary.jack_port_get_buffer(port, frames), (long) frames * BYTES_PER_SAMPLE,
                    (byte) 0);
        }
    }

    /**
     * Asks the process thread to end at its next period and, if the client was activated, waits
     * until it has, up to {@link #FINISH_MILLIS} ms; true if it ended. Called on a control thread
     * when the client closes.
     */
    boolean finish(boolean activated) {
        finishing = true;
        if (!activated) {
            return false;
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINISH_MILLIS);
        while (System.nanoTime() < deadline) {
            // The JVM lets the thread go as it exits, after libjack has deactivated the client.
            if (processThreadEnded()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return false;
    }

    /** True once JACK's process thread has called in and then ended. */
    boolean processThreadEnded() {
        final Thread t = processThread;
        return t != null && !t.isAlive();
    }

    /** Makes room for periods of {@code frames}. Called on JACK's notification thread. */
    void resize(int frames) {
        if (frames > arrays.frames) {
            arrays = new PeriodArrays(sendPorts.length, receivePorts.length, frames);
        }
    }

    /** Periods handled so far. */
    long cycles() {
        return cycles;
    }

    /** Periods longer than the arrays, played as silence; should stay 0. */
    long oversizedPeriods() {
        return oversizedPeriods;
    }

    /** One period's input and output arrays, replaced as a whole when the buffer size grows. */
    private static final class PeriodArrays {
        final int frames;
        final float[][] inputs;
        final float[][] outputs;

        PeriodArrays(int sends, int receives, int frames) {
            this.frames = frames;
            this.inputs = new float[sends][frames];
            this.outputs = new float[receives][frames];
        }
    }
}
