package org.jamwire.jack;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jamwire.audio.AbstractAudioSession;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.AudioSpec;

/**
 * An open JACK client with ports {@code send_1..n} (JACK inputs: audio to send to the network) and
 * {@code receive_1..n} (JACK outputs: audio received from the network). Its methods are called from
 * the control thread; its JACK callbacks run on JACK's process thread ({@code PeriodCallback}) and
 * JACK's notification thread (buffer size, xrun, shutdown).
 */
public final class JackSession extends AbstractAudioSession {

    /** JACK_DEFAULT_AUDIO_TYPE (kept out of {@code JackLibrary}, whose class the JACK thread runs). */
    static final String AUDIO_TYPE = "32 bit float mono audio";

    private final long client;
    private final AudioSpec spec;
    private final PeriodCallback period;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean alive = true;
    private volatile String shutdownReason;

    // JACK holds the addresses of these callbacks' native stubs: keep them reachable.
    private final JackLibrary.BufferSizeCallback onBufferSize = (frames, arg) -> resize(frames);
    private final JackLibrary.XrunCallback onXrun = arg -> xrun();
    private final JackLibrary.InfoShutdownCallback onShutdown = (code, reason, arg) -> shutDown(reason);

    private volatile boolean activated;
    private volatile long processThreadId;

    private JackSession(long client, AudioSpec spec, AudioProcessor processor, long[] sends, long[] receives) {
        super(JackLibrary.jack_get_client_name(client), JackLibrary.jack_get_sample_rate(client),
                JackLibrary.jack_get_buffer_size(client), processor);
        this.client = client;
        this.spec = spec;
        this.period = new PeriodCallback(sends, receives, guard(), bufferSize());
    }

    /** Registers the ports and callbacks on an open client; closes the client if that fails. */
    static JackSession create(long client, AudioSpec spec, AudioProcessor processor) throws AudioBackendException {
        try {
            final long[] sends = registerPorts(client, "send_", spec.sendChannels(), JackLibrary.PORT_IS_INPUT);
            final long[] receives = registerPorts(client, "receive_", spec.receiveChannels(),
                    JackLibrary.PORT_IS_OUTPUT);
            final JackSession session = new JackSession(client, spec, processor, sends, receives);
            session.registerCallbacks();
            return session;
        } catch (AudioBackendException | RuntimeException e) {
            JackBackend.closeClient(client);
            throw e;
        }
    }

    private static long[] registerPorts(long client, String prefix, int count, long flags)
            throws AudioBackendException {
        final long[] ports = new long[count];
        for (int i = 0; i < count; i++) {
            final String name = prefix + (i + 1);
            ports[i] = JackLibrary.jack_port_register(client, name, JackSession.AUDIO_TYPE, flags, 0);
            if (ports[i] == 0) {
                throw new AudioBackendException("JACK refused to register port " + name
                        + ": the server may have run out of ports (raise its limit with `jackd --port-max N`)");
            }
        }
        return ports;
    }

    private void registerCallbacks() throws AudioBackendException {
        // Attach each JACK thread to the JVM once, as a daemon, instead of once per call.
        Native.setCallbackThreadInitializer(period, new CallbackThreadInitializer(true, false, "jack-process "
                + clientName()));
        final CallbackThreadInitializer notify = new CallbackThreadInitializer(true, false, "jack-notify "
                + clientName());
        Native.setCallbackThreadInitializer(onBufferSize, notify);
        Native.setCallbackThreadInitializer(onXrun, notify);
        Native.setCallbackThreadInitializer(onShutdown, notify);
        check(JackLibrary.jack_set_process_callback(client, period, null), "process");
        check(JackLibrary.jack_set_buffer_size_callback(client, onBufferSize, null), "buffer size");
        check(JackLibrary.jack_set_xrun_callback(client, onXrun, null), "xrun");
        JackLibrary.jack_on_info_shutdown(client, onShutdown, null);
    }

    private static void check(int result, String callback) throws AudioBackendException {
        if (result != 0) {
            throw new AudioBackendException("JACK refused the " + callback + " callback (error " + result + ")");
        }
    }

    private int resize(int frames) {
        period.resize(frames);
        bufferSizeChanged(frames);
        return 0;
    }

    private int xrun() {
        addXruns(1);
        return 0;
    }

    private void shutDown(String reason) {
        shutdownReason = reason == null || reason.isEmpty() ? "the JACK server shut the client down" : reason;
        alive = false;
    }

    @Override
    public boolean isAlive() {
        return alive && !closed.get();
    }

    /** Why the server shut the client down, or null while it has not. */
    public String shutdownReason() {
        return shutdownReason;
    }

    @Override
    public long periods() {
        return period.cycles();
    }

    /** True once JACK's process thread for this client has ended (after {@link #close()}). */
    boolean processThreadEnded() {
        return period.processThreadEnded();
    }

    @Override
    public void start() throws AudioBackendException {
        if (closed.get()) {
            throw new AudioBackendException("JACK client " + clientName() + " is closed");
        }
        final int result = JackLibrary.jack_activate(client);
        if (result != 0) {
            throw new AudioBackendException("JACK could not activate client " + clientName() + " (error " + result
                    + "); the server may have stopped: check that jackd is still running");
        }
        processThreadId = JackLibrary.jack_client_thread_id(client);
        activated = true;
        if (spec.autoConnect()) {
            connectToSystem();
        }
    }

    /** Connects capture i to send_i and receive_i to playback i, for as many physical ports as exist. */
    private void connectToSystem() throws AudioBackendException {
        final String[] captures = JackLibrary.ports(client, JackSession.AUDIO_TYPE,
                JackLibrary.PORT_IS_PHYSICAL | JackLibrary.PORT_IS_OUTPUT);
        final String[] playbacks = JackLibrary.ports(client, JackSession.AUDIO_TYPE,
                JackLibrary.PORT_IS_PHYSICAL | JackLibrary.PORT_IS_INPUT);
        for (int i = 0; i < Math.min(captures.length, spec.sendChannels()); i++) {
            connect(captures[i], clientName() + ":send_" + (i + 1));
        }
        for (int i = 0; i < Math.min(playbacks.length, spec.receiveChannels()); i++) {
            connect(clientName() + ":receive_" + (i + 1), playbacks[i]);
        }
    }

    private void connect(String source, String destination) throws AudioBackendException {
        final int result = JackLibrary.jack_connect(client, source, destination);
        if (result != 0 && result != JackLibrary.EEXIST) {
            throw new AudioBackendException("JACK could not connect " + source + " to " + destination
                    + " (error " + result + ")");
        }
    }

    /**
     * Closes the client. The process thread is asked to end itself first: closing an active client
     * makes libjack cancel its process thread asynchronously, and a thread cancelled while it runs
     * the JVM's code (a callback that is late, or held at a safepoint) can leave the JVM hung or
     * crash it. A thread that ended itself is past that; one that does not end within
     * {@value PeriodCallback#FINISH_MILLIS} ms (the server stopped calling it) waits in libjack,
     * where cancelling it is safe.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (period.finish(activated) && processThreadId != 0) {
                ThreadReaper.join(processThreadId);
            }
            JackBackend.closeClient(client);
            OneServerPerProcess.release();
        }
    }

    @Override
    public String toString() {
        return "JackSession[" + clientName() + ", " + sampleRate() + " Hz, " + bufferSize() + " frames]";
    }
}
