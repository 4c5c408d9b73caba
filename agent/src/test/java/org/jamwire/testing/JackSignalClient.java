package org.jamwire.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    /** Held by a test client of any process while it opens (see {@link #openAlone}). */
    private static final Path OPEN_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "jamwire-test-jack-open.lock");

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
    /** Set when closing: the next period ends JACK's process thread (see {@link #close()}). */
    private volatile boolean finishing;
    /** Xruns the server reported to this client, once activated. */
    private final java.util.concurrent.atomic.AtomicLong xruns = new java.util.concurrent.atomic.AtomicLong();
    /** The server's rate, for how long a period lasts. */
    private final int rate;
    /** When the last period began, on the monotonic clock; 0 before the first. */
    private long lastCycleNanos;
    /** Periods that began more than half a period late: the graph stalled (written by the process thread). */
    private volatile long stalls;

    private JackSignalClient(JackClient client, int outputCount, int inputCount, int capacity, Signal signal)
            throws JackException {
        this.client = client;
        this.signal = signal;
        this.rate = client.getSampleRate();
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
        client.setXrunCallback(jackClient -> xruns.incrementAndGet());
        client.activate();
    }

    /**
     * The xruns the server reported to this client since it was activated: for a graph whose
     * server counts them nowhere else (PipeWire's), its xruns.
     */
    public long xruns() {
        return xruns.get();
    }

    /**
     * Periods that began more than half a period later than the one before: the graph stalled, as
     * it does at an xrun. PipeWire's JACK leaves a graph's first xrun unreported, and its dummy
     * driver does not call a late cycle an xrun at all; a stall seen here is what either cost.
     */
    public long stalls() {
        return stalls;
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
    /**
     * Opens a client while no other test client on this machine opens one: libjack names a client's
     * notification socket by the client's name and user, not its server's, so two clients of one
     * name opening at once on two servers can each take the other's socket, and one fails (seen in
     * about one open in eight in a loop).
     */
    private static JackClient openAlone(String name, EnumSet<JackStatus> status) throws JackException {
        try (FileChannel lock = FileChannel.open(OPEN_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            final FileLock held = lock.lock();
            try {
                return Jack.getInstance().openClient(name, EnumSet.of(JackOptions.JackNoStartServer), status);
            } finally {
                held.release();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot take " + OPEN_LOCK + ": " + e.getMessage(), e);
        }
    }

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
            final EnumSet<JackStatus> status = EnumSet.noneOf(JackStatus.class);
            try {
                final JackClient client = openAlone(name, status);
                try {
                    return new JackSignalClient(client, outputs, inputs, capacity, signal);
                } catch (JackException | RuntimeException e) {
                    client.close();
                    throw e;
                }
            } catch (JackException e) {
                throw new IllegalStateException("cannot open test client " + name + " on " + serverName + " (status "
                        + status + ")", e);
            } finally {
                if (previous == null) {
                    LIBC.unsetenv("JACK_DEFAULT_SERVER");
                } else {
                    LIBC.setenv("JACK_DEFAULT_SERVER", previous, 1);
                }
            }
        }
    }

    /** The signal repeats after this many frames: 2.7 s at 48 kHz, longer than any delay a test sees. */
    public static final int SIGNAL_PERIOD = 1 << 17;

    /** The smallest magnitude of a sample: no sample is silence, nor rounds to it at 8 bits. */
    private static final double FLOOR = 1.0 / 64;
    /** The largest magnitude: a trip through 16 or 8 bits and back leaves it unchanged. */
    private static final double PEAK = 0.45;

    /**
     * The test signal: white noise, different on every channel, never 0, repeating bit for bit
     * every {@link #SIGNAL_PERIOD} frames. Noise fits one delay only: a period played a single
     * frame early or late, repeated or resampled differs from the signal by far more than the
     * wire's resolution, so a judge that compares samples catches it.
     *
     * @param channel 1-based channel
     */
    public static float sample(int channel, long frame) {
        final long f = Math.floorMod(frame, SIGNAL_PERIOD);
        // SplitMix64's finalizer: consecutive inputs give unrelated outputs.
        long h = f * 0x9E3779B97F4A7C15L + channel * 0xD1B54A32D192ED03L;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        final double u = (h >>> 11) * 0x1.0p-53;
        final double magnitude = FLOOR + (PEAK - FLOOR) * Math.abs(2 * u - 1);
        return (float) (u < 0.5 ? -magnitude : magnitude);
    }

    private boolean process(int n) {
        if (finishing) {
            return true; // closing: out of the callback at once (see close())
        }
        final long now = System.nanoTime();
        if (lastCycleNanos != 0 && now - lastCycleNanos > 1_500_000_000L * n / rate) {
            stalls = stalls + 1;
        }
        lastCycleNanos = now;
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

    /** The server's sample rate. */
    public int sampleRate() throws org.jaudiolibs.jnajack.JackException {
        return client.getSampleRate();
    }

    /** Frames this client has played (and recorded, while there was room). */
    public long frames() {
        return frames;
    }

    /** Waits until this client has processed {@code count} frames. */
    public void awaitFrames(long count, Duration timeout) {
        Deadlines.await(timeout, () -> frames >= count, () -> name() + " processed " + frames + " of " + count + " frames");
    }

    /**
     * Waits until this client's recording is full, then half a second more (at 48 kHz): jackd
     * reports an xrun once the cycle it spoilt is over, so xruns counted after this include those
     * that spoilt the last periods recorded.
     */
    public void awaitRecording(Duration timeout) {
        awaitFrames(capacity, timeout);
        awaitFrames(capacity + XRUN_REPORT_FRAMES, timeout);
    }

    /** Frames to wait after a recording for its last xruns to be reported. */
    private static final int XRUN_REPORT_FRAMES = 24_000;

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
     * Closes the client. libjack cancels the process thread of a client it closes, and one
     * cancelled in the middle of a callback can hang or crash this JVM; from here on each callback
     * returns at once, so that the thread is almost always waiting in libjack when that comes.
     * (Ending the thread instead, by returning false, makes JNAJack detach it from the JVM before
     * libjack has deactivated the client, and the close that follows races that deactivation.)
     */
    @Override
    public void close() {
        finishing = true;
        client.close();
    }
}
