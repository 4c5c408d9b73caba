package org.jamwire.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;

/**
 * A JACK client for tests, built on JNAJack so that it shares no code with the backend under test:
 * output ports {@code out_1..n} play {@link #sample(int, long)} (or a {@link Signal} of the test's
 * own, e.g. a tone per port), input ports {@code in_1..m} record
 * into memory, indexed by this client's own frame counter. Opened and read from the test thread;
 * its process callback runs on JACK's process thread and may allocate.
 */
public final class JackSignalClient implements AutoCloseable {

    /** The C library's environment, which libjack reads when it picks a server. */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);

        int unsetenv(String name);
    }

    private static final CLibrary LIBC = Native.load("c", CLibrary.class);
    private static final Object ENVIRONMENT = new Object();

    /** What the output ports play. */
    @FunctionalInterface
    public interface Signal {
        /** The sample of 1-based output {@code channel} at this client's frame {@code frame}. */
        float sample(int channel, long frame);
    }

    private final JackClient client;
    private final Signal signal;
    private final JackPort[] outputs;
    private final JackPort[] inputs;
    private final float[][] recorded;
    private final int capacity;
    private volatile long frames;

    private JackSignalClient(JackClient client, int outputCount, int inputCount, int capacity, Signal signal)
            throws JackException {
        this.client = client;
        this.signal = signal;
        this.outputs = new JackPort[outputCount];
        this.inputs = new JackPort[inputCount];
        this.recorded = new float[inputCount][capacity];
        this.capacity = capacity;
        for (int c = 0; c < outputCount; c++) {
            outputs[c] = client.registerPort("out_" + (c + 1), JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
        }
        for (int c = 0; c < inputCount; c++) {
            inputs[c] = client.registerPort("in_" + (c + 1), JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
        }
        client.setProcessCallback((jackClient, n) -> process(n));
        client.activate();
    }

    /**
     * Opens and activates a client on {@code server}.
     *
     * @param capacity frames to record per input; recording stops when they are full
     */
    public static JackSignalClient open(JackServer server, String name, int outputs, int inputs, int capacity) {
        return open(server.name(), name, outputs, inputs, capacity);
    }

    /** As {@link #open(JackServer, String, int, int, int)}, its outputs playing {@code signal}. */
    public static JackSignalClient open(JackServer server, String name, int outputs, int inputs, int capacity,
            Signal signal) {
        return open(server.name(), name, outputs, inputs, capacity, signal);
    }

    /** Opens and activates a client on the server named {@code serverName}. */
    public static JackSignalClient open(String serverName, String name, int outputs, int inputs, int capacity) {
        return open(serverName, name, outputs, inputs, capacity, JackSignalClient::sample);
    }

    /** Opens and activates a client on the server named {@code serverName}, its outputs playing {@code signal}. */
    public static JackSignalClient open(String serverName, String name, int outputs, int inputs, int capacity,
            Signal signal) {
        // JNAJack 1.4.0 cannot pass a server name; libjack falls back to JACK_DEFAULT_SERVER.
        synchronized (ENVIRONMENT) {
            final String previous = LIBC.getenv("JACK_DEFAULT_SERVER");
            LIBC.setenv("JACK_DEFAULT_SERVER", serverName, 1);
            try {
                final EnumSet<JackStatus> status = EnumSet.noneOf(JackStatus.class);
                final JackClient client = Jack.getInstance().openClient(name, EnumSet.of(JackOptions.JackNoStartServer), status);
                try {
                    return new JackSignalClient(client, outputs, inputs, capacity, signal);
                } catch (JackException | RuntimeException e) {
                    client.close();
                    throw e;
                }
            } catch (JackException e) {
                throw new IllegalStateException("cannot open test client " + name + " on " + serverName, e);
            } finally {
                if (previous == null) {
                    LIBC.unsetenv("JACK_DEFAULT_SERVER");
                } else {
                    LIBC.setenv("JACK_DEFAULT_SERVER", previous, 1);
                }
            }
        }
    }

    /** The signal repeats after this many frames (the sine's 97 times the ramp's 1009). */
    public static final int SIGNAL_PERIOD = 97 * 1009;

    /**
     * The test signal: never 0, different on every channel, a ramp over the frame number plus a
     * sine whose frequency depends on the channel.
     *
     * @param channel 1-based channel
     */
    public static float sample(int channel, long frame) {
        // Reduced first, so that the signal repeats exactly, bit for bit, every SIGNAL_PERIOD frames.
        final long f = Math.floorMod(frame, SIGNAL_PERIOD);
        final double ramp = (f % 1009) / 100_000.0;
        final double sine = 0.1 * Math.sin(2 * Math.PI * f * channel / 97.0);
        return (float) (0.125 + channel / 64.0 + sine + ramp);
    }

    private boolean process(int n) {
        final long start = frames;
        for (int c = 0; c < outputs.length; c++) {
            final FloatBuffer out = outputs[c].getFloatBuffer();
            for (int i = 0; i < n; i++) {
                out.put(i, signal.sample(c + 1, start + i));
            }
        }
        if (start + n <= capacity) {
            for (int c = 0; c < inputs.length; c++) {
                inputs[c].getFloatBuffer().get(0, recorded[c], (int) start, n);
            }
        }
        frames = start + n;
        return true;
    }

    /** The client's name on the server. */
    public String name() {
        return client.getName();
    }

    /** Full name of output port {@code out_c}. */
    public String output(int channel) {
        return name() + ":out_" + channel;
    }

    /** Full name of input port {@code in_c}. */
    public String input(int channel) {
        return name() + ":in_" + channel;
    }

    /**
     * Connects two ports of any clients, by full name. JACK refuses connections to a client that
     * has registered its ports but is not active yet, so this retries for up to 10 seconds.
     */
    public void connect(String source, String destination) {
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                Jack.getInstance().connect(client, source, destination);
                return;
            } catch (JackException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot connect " + source + " to " + destination, e);
                }
                Deadlines.pause();
            }
        }
    }

    /** Frames this client has played (and recorded, while there was room). */
    public long frames() {
        return frames;
    }

    /** Waits until this client has processed {@code count} frames. */
    public void awaitFrames(long count, Duration timeout) {
        Deadlines.await(timeout, () -> frames >= count, () -> name() + " processed " + frames + " of " + count + " frames");
    }

    /** What input {@code in_c} recorded so far. */
    public float[] recording(int channel) {
        final long available = Math.min(frames, capacity);
        return Arrays.copyOf(recorded[channel - 1], (int) available);
    }

    /** The last {@code count} frames input {@code in_c} recorded (fewer while it has recorded fewer). */
    public float[] recent(int channel, int count) {
        final int available = (int) Math.min(frames, capacity);
        return Arrays.copyOfRange(recorded[channel - 1], Math.max(0, available - count), available);
    }

    /**
     * Compares what input {@code in_input} recorded with signal channel {@code channel}, delayed by
     * whatever whole number of frames (up to {@code maxDelay}) makes the first sound match.
     */
    public Comparison compare(int input, int channel, int maxDelay) {
        return compare(input, channel, 0, maxDelay);
    }

    /** Like {@link #compare(int, int, int)}, ignoring what was recorded before frame {@code from}. */
    public Comparison compare(int input, int channel, int from, int maxDelay) {
        final float[] recording = recording(input);
        int first = from;
        while (first < recording.length && recording[first] == 0f) {
            first++;
        }
        if (recording.length - first < 4) {
            return new Comparison(-1, -1, 0, 0, "no sound recorded on " + input(input));
        }
        for (int delay = 0; delay <= maxDelay && delay <= first; delay++) {
            if (matchesAt(recording, first, channel, delay, 4)) {
                return compareFrom(recording, first, channel, delay);
            }
        }
        return new Comparison(first, -1, recording.length - first, recording.length - first,
                "the sound on " + input(input) + " is not signal channel " + channel + " at any delay up to " + maxDelay);
    }

    private static boolean matchesAt(float[] recording, int from, int channel, int delay, int count) {
        for (int i = from; i < from + count; i++) {
            if (Float.floatToRawIntBits(recording[i]) != Float.floatToRawIntBits(sample(channel, i - delay))) {
                return false;
            }
        }
        return true;
    }

    private static Comparison compareFrom(float[] recording, int first, int channel, int delay) {
        long mismatches = 0;
        String firstMismatch = null;
        for (int i = first; i < recording.length; i++) {
            final float expected = sample(channel, i - delay);
            if (Float.floatToRawIntBits(recording[i]) != Float.floatToRawIntBits(expected)) {
                if (firstMismatch == null) {
                    firstMismatch = "frame " + i + ": expected " + expected + ", recorded " + recording[i];
                }
                mismatches++;
            }
        }
        return new Comparison(first, delay, recording.length - first, mismatches, firstMismatch);
    }

    /**
     * A recording compared with a signal.
     *
     * @param firstSound first recorded frame that was not silence, -1 if none
     * @param delay frames by which the recording lags the signal, -1 if it does not match
     * @param compared frames compared, from the first sound on
     * @param mismatches frames that differ in any bit
     * @param firstMismatch description of the first difference, or null
     */
    public record Comparison(long firstSound, long delay, long compared, long mismatches, String firstMismatch) {}

    @Override
    public void close() {
        client.close();
    }
}
