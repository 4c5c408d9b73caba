package org.jamwire.jack;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.AudioSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audio through a running JACK server, the default one or one picked by name. Called from the
 * control thread; the sessions it opens run their processor on JACK's process thread.
 *
 * <h2>No allocation on the JACK thread</h2>
 *
 * <p>JNAJack 1.4.0's process-callback wrapper calls {@code jack_port_get_buffer} for every port
 * registered through it, before the user callback runs, through an interface that returns a JNA
 * {@link Pointer}: a new 24-byte object (12-byte header, 8-byte address) per port per period, and a
 * new {@code ByteBuffer} and {@code FloatBuffer} whenever a buffer moves. That is the 24 bytes per
 * port per cycle seen on the JACK thread; they are allocated before the user callback, so they only
 * show when the allocation counter is read in one period and again in a later one. The JNA downcall
 * itself allocates nothing: a direct-mapped {@code static native long jack_port_get_buffer(long,
 * int)} measured within one callback, or across periods of a client whose ports JNAJack does not
 * know about, allocates 0 bytes. Nor do JNA's callback entry (once the thread is attached for good
 * with a {@code CallbackThreadInitializer}) or its last-error bookkeeping, which lives in native
 * thread-local storage.
 *
 * <p>JNAJack keeps the native client and port handles private, so ports cannot be registered
 * behind its wrapper's back. This backend therefore binds the few libjack functions it needs
 * itself ({@code JackLibrary}, JNA direct mapping with {@code long} handles), registers its own
 * process callback ({@code PeriodCallback}) and copies samples between port buffers and
 * {@code float[]} with one JNI copy per port. Measured over 10,000 periods with 8 channels each way:
 * 0 bytes. It also lets the client pick its server with {@code JackServerName}, which JNAJack 1.4.0
 * cannot pass.
 *
 * <p>libjack keeps the server's engine and graph in process-wide state, so all clients of one
 * process must use the same server at a time; {@link #open} refuses a second server while clients
 * of the first are open ({@code OneServerPerProcess}).
 */
public final class JackBackend implements AudioBackend {

    private static final Logger LOG = LoggerFactory.getLogger(JackBackend.class);
    private static final int OPEN_ATTEMPTS = 3;
    /** How often a client is opened when the server was reached but the exchange failed. */
    private static final int SERVER_ERROR_ATTEMPTS = 4;

    private final String serverName;

    /**
     * @param serverName JACK server to connect to, or null for the default one (the
     *     {@code JACK_DEFAULT_SERVER} environment variable, or {@code default})
     */
    public JackBackend(String serverName) {
        this.serverName = serverName;
    }

    @Override
    public String name() {
        return "jack";
    }

    /**
     * On PipeWire, the graph's quantum is set in its settings, which every client shares, and never
     * by restarting it; else jackd restarts with {@code -p}.
     */
    @Override
    public String periodFix(int frames) {
        String server;
        try {
            server = audioServer();
        } catch (AudioBackendException e) {
            server = null;
        }
        return onPipeWire(server) ? "this JACK is " + server + ", whose graph runs at the quantum its settings"
                + " force: pw-metadata -n settings 0 clock.force-quantum " + frames + " (0 lets it choose again)"
                : AudioBackend.super.periodFix(frames);
    }

    /** JACK clients this process has open through any backend, on whichever server. */
    public static int openClients() {
        return OneServerPerProcess.clients();
    }

    /** The server's name as given, or null for the default server. */
    public String serverName() {
        return serverName;
    }

    /**
     * {@inheritDoc}
     *
     * @throws AudioBackendException also when this process has clients open on another server
     */
    @Override
    public JackSession open(AudioSpec spec, AudioProcessor processor) throws AudioBackendException {
        OneServerPerProcess.claim(OneServerPerProcess.effectiveName(serverName));
        try {
            return JackSession.create(openClient(spec.clientName()), spec, processor);
        } catch (AudioBackendException | RuntimeException e) {
            OneServerPerProcess.release();
            throw e;
        }
    }

    private long openClient(String clientName) throws AudioBackendException {
        return openClient(serverName, clientName);
    }

    /**
     * What serves this process's libjack: {@code PipeWire 0.3.65} when it is PipeWire's (as
     * {@code pw-jack}, or a system-wide replacement, makes it), else {@code jackd 1.9.21}.
     *
     * @throws AudioBackendException when libjack cannot be loaded
     */
    public static String audioServer() throws AudioBackendException {
        String server = audioServer;
        if (server == null) {
            try {
                server = describeServer(JackLibrary.jack_get_version_string());
            } catch (LinkageError e) {
                throw new AudioBackendException("libjack is not installed or cannot be loaded (" + e.getMessage()
                        + ")", e);
            }
            audioServer = server;
        }
        return server;
    }

    /** {@link #audioServer}, once known: a process loads one libjack. */
    private static volatile String audioServer;

    /** {@link #audioServer} from libjack's version string. */
    static String describeServer(String version) {
        if (version == null) {
            return "jackd";
        }
        final java.util.regex.Matcher pw = java.util.regex.Pattern.compile("PipeWire ([0-9][0-9.]{0,20})")
                .matcher(version);
        return pw.find() ? "PipeWire " + pw.group(1) : "jackd " + version.strip();
    }

    /** Whether {@link #audioServer} names PipeWire. */
    public static boolean onPipeWire(String audioServer) {
        return audioServer != null && audioServer.startsWith("PipeWire");
    }

    /**
     * Opens a client on {@code serverName} (null for the default), without starting a server, that
     * the server can run: a client that libjack left waiting on an earlier client's futex
     * ({@code ClientSynchro}) is closed, which unmaps that futex, and opened again, up to
     * {@value #OPEN_ATTEMPTS} times.
     */
    static synchronized long openClient(String serverName, String clientName) throws AudioBackendException {
        final String server = OneServerPerProcess.effectiveName(serverName);
        int talks = 0;
        for (int attempt = 1; ; attempt++) {
            final long client;
            try {
                client = openOnce(serverName, clientName);
            } catch (ServerError e) {
                // libjack names a client's notification socket by the client's name and user only, not
                // its server's: a client of the same name opening on another JACK server of this
                // machine at the same moment can take the socket this server connects back to.
                if (++talks == SERVER_ERROR_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("{}; opening it again (attempt {} of {})", e.getMessage(), talks + 1, SERVER_ERROR_ATTEMPTS);
                attempt--;
                pause(talks);
                continue;
            }
            if (ClientSynchro.ready(client, server)) {
                return client;
            }
            closeClient(client);
            if (attempt == OPEN_ATTEMPTS) {
                throw new AudioBackendException("JACK client '" + clientName + "' on server '" + server + "' was"
                        + " opened " + OPEN_ATTEMPTS + " times, and each time libjack in this process kept the"
                        + " wake-up futex of a client that had left, so the server could never run it:"
                        + " restart this program, and stop tools that open and close JACK clients in a loop");
            }
            LOG.warn("JACK client '{}' was given the wake-up futex of a client that had left, so the server"
                    + " would never have run it; opened it again (attempt {} of {})", clientName, attempt + 1,
                    OPEN_ATTEMPTS);
        }
    }

    /**
     * Closes a client. Opening and closing are serialized in the process, so that a client's
     * departure is complete in libjack's per-process state before another client opens.
     */
    static synchronized void closeClient(long client) {
        JackLibrary.jack_client_close(client);
    }

    /** The server was reached, but the exchange that opens a client failed: worth another try. */
    static final class ServerError extends AudioBackendException {
        private static final long serialVersionUID = 1L;

        ServerError(String message) {
            super(message);
        }
    }

    private static void pause(int attempt) throws AudioBackendException {
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AudioBackendException("interrupted while opening a JACK client", e);
        }
    }

    private static long openOnce(String serverName, String clientName) throws AudioBackendException {
        final IntByReference status = new IntByReference();
        final Pointer client;
        try {
            client = serverName == null
                    ? JackLibrary.OPEN.jack_client_open(clientName, JackLibrary.NO_START_SERVER, status)
                    : JackLibrary.OPEN.jack_client_open(clientName,
                            JackLibrary.NO_START_SERVER | JackLibrary.SERVER_NAME, status, serverName);
        } catch (LinkageError e) {
            throw new AudioBackendException("libjack is not installed or cannot be loaded (" + e.getMessage()
                    + "): install it with `apt install libjack-jackd2-0` and start a JACK server", e);
        }
        if (client == null) {
            final int s = status.getValue();
            if ((s & JackLibrary.STATUS_SERVER_ERROR) != 0 && (s & JackLibrary.STATUS_SERVER_FAILED) == 0) {
                throw new ServerError("the JACK server " + describe(serverName != null ? serverName
                        : System.getenv("JACK_DEFAULT_SERVER")) + " was reached, but opening client '" + clientName
                        + "' there failed (status 0x" + Integer.toHexString(s) + "); a client of the same name opening"
                        + " on another JACK server of this machine at that moment does this: try again, or give one"
                        + " of them another name");
            }
            throw new AudioBackendException(openFailure(serverName, clientName, s));
        }
        return Pointer.nativeValue(client);
    }

    private static String openFailure(String serverName, String clientName, int status) {
        final String named = serverName != null ? serverName : System.getenv("JACK_DEFAULT_SERVER");
        if ((status & JackLibrary.STATUS_VERSION_ERROR) != 0) {
            return "the JACK server " + describe(named) + " speaks another protocol version than this libjack:"
                    + " restart it with the jackd that belongs to the installed libjack";
        }
        if ((status & JackLibrary.STATUS_SHM_FAILURE) != 0) {
            return "cannot map the shared memory of the JACK server " + describe(named)
                    + ": run as the user that started jackd, and check that /dev/shm is writable";
        }
        if ((status & JackLibrary.STATUS_INVALID_OPTION) != 0) {
            return "JACK rejected client name '" + clientName + "' (at most 63 bytes, no ':')";
        }
        if ((status & (JackLibrary.STATUS_SERVER_FAILED | JackLibrary.STATUS_FAILURE)) != 0) {
            // A JACK server is seen only by the user that runs it: name whom this process runs as.
            final String user = System.getProperty("user.name");
            final String name = named == null ? "" : "-n " + named + " ";
            return (named == null ? "no JACK server is running" : "no JACK server named '" + named + "' is running")
                    + " for user " + user + " (a JACK server is seen only by the user that runs it): start the JACK"
                    + " service (`systemctl start jamwire-jackd` where the lab's roles installed it), or start one as "
                    + user + " with `jackd " + name + "-d alsa` (or `jackd " + name + "-d dummy` to run without a"
                    + " sound card), or run the agent as the user that runs JACK"
                    + (named != null && serverName == null
                            ? "; or unset JACK_DEFAULT_SERVER to use the default server" : "");
        }
        return "could not open JACK client '" + clientName + "' on the JACK server " + describe(named)
                + String.format(" (status 0x%x)", status);
    }

    private static String describe(String named) {
        return named == null ? "(default)" : "'" + named + "'";
    }

    @Override
    public String toString() {
        return "JackBackend[" + (serverName == null ? "default server" : serverName) + "]";
    }
}
