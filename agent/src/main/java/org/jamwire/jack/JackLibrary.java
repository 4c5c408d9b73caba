package org.jamwire.jack;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The part of libjack's C API that JamWire uses, bound with JNA direct mapping. Handles are plain
 * {@code long}s (this is LP64 Linux: {@code unsigned long} and pointers are 64 bits), so a call
 * creates no {@link Pointer} object. Called from the control thread, except
 * {@link #jack_port_get_buffer}, which the JACK process thread calls every period.
 */
final class JackLibrary {

    // jack_options_t
    static final int NO_START_SERVER = 0x01;
    static final int SERVER_NAME = 0x04;

    // jack_status_t
    static final int STATUS_FAILURE = 0x01;
    static final int STATUS_INVALID_OPTION = 0x02;
    static final int STATUS_SERVER_FAILED = 0x10;
    static final int STATUS_SERVER_ERROR = 0x20;
    static final int STATUS_SHM_FAILURE = 0x200;
    static final int STATUS_VERSION_ERROR = 0x400;

    // JackPortFlags
    static final long PORT_IS_INPUT = 0x1;
    static final long PORT_IS_OUTPUT = 0x2;
    static final long PORT_IS_PHYSICAL = 0x4;

    /** errno when two ports are already connected. */
    static final int EEXIST = 17;

    private static final NativeLibrary LIBJACK = NativeLibrary.getInstance("jack");

    static {
        Native.register(JackLibrary.class, LIBJACK);
    }

    /**
     * {@code jack_client_open} is variadic (the server name follows the status when
     * {@link #SERVER_NAME} is set), which direct mapping cannot express; JNA's interface mapping
     * passes Java varargs as C varargs.
     */
    interface ClientOpen extends Library {
        Pointer jack_client_open(String clientName, int options, IntByReference status, Object... args);
    }

    static final ClientOpen OPEN = Native.load("jack", ClientOpen.class);

    private JackLibrary() {}

    /** {@code int (*JackProcessCallback)(jack_nframes_t nframes, void *arg)}. */
    public interface ProcessCallback extends Callback {
        int invoke(int frames, Pointer arg);
    }

    /** {@code int (*JackBufferSizeCallback)(jack_nframes_t nframes, void *arg)}. */
    public interface BufferSizeCallback extends Callback {
        int invoke(int frames, Pointer arg);
    }

    /** {@code int (*JackXRunCallback)(void *arg)}. */
    public interface XrunCallback extends Callback {
        int invoke(Pointer arg);
    }

    /** {@code void (*JackInfoShutdownCallback)(jack_status_t code, const char *reason, void *arg)}. */
    public interface InfoShutdownCallback extends Callback {
        void invoke(int code, String reason, Pointer arg);
    }

    /** {@code void (*)(const char *msg)}, for libjack's error and info messages. */
    public interface MessageCallback extends Callback {
        void invoke(String message);
    }

    static native void jack_set_error_function(MessageCallback callback);

    static native void jack_set_info_function(MessageCallback callback);

    /** libjack's version: jackd's ({@code 1.9.21}), or PipeWire's ({@code 3.0.0.0 (using PipeWire 0.3.65)}). */
    static native String jack_get_version_string();

    static native int jack_client_close(long client);

    /** The client's process thread, as a {@code pthread_t}; 0 before it is activated. */
    static native long jack_client_thread_id(long client);

    static native String jack_get_client_name(long client);

    static native int jack_activate(long client);

    /**
     * Asks the server to recompute latencies: it sends every active client a synchronous
     * notification and waits for each answer, which each client's notification thread gives after
     * handling the notifications queued before it.
     */
    static native int jack_recompute_total_latencies(long client);

    static native int jack_get_sample_rate(long client);

    static native int jack_get_buffer_size(long client);

    static native long jack_port_register(long client, String shortName, String type, long flags, long bufferSize);

    static native long jack_port_get_buffer(long port, int frames);

    static native int jack_connect(long client, String source, String destination);

    static native int jack_disconnect(long client, String source, String destination);

    static native long jack_port_by_name(long client, String portName);

    static native int jack_port_flags(long port);

    static native String jack_port_type(long port);

    /** Returns a NULL-terminated {@code const char **} to be released with {@link #jack_free}, or NULL. */
    static native Pointer jack_port_get_all_connections(long client, long port);

    static native float jack_cpu_load(long client);

    /** Returns a NULL-terminated {@code const char **} to be released with {@link #jack_free}. */
    static native Pointer jack_get_ports(long client, String namePattern, String typePattern, long flags);

    static native void jack_free(Pointer pointer);

    static native int jack_set_process_callback(long client, ProcessCallback callback, Pointer arg);

    static native int jack_set_buffer_size_callback(long client, BufferSizeCallback callback, Pointer arg);

    static native int jack_set_xrun_callback(long client, XrunCallback callback, Pointer arg);

    static native void jack_on_info_shutdown(long client, InfoShutdownCallback callback, Pointer arg);

    /** Full names of the ports matching the flags, in the server's order; never null. */
    static String[] ports(long client, String type, long flags) {
        return strings(jack_get_ports(client, null, type, flags));
    }

    /** Full names of the ports connected to {@code port}; never null. */
    static String[] connections(long client, long port) {
        return strings(jack_port_get_all_connections(client, port));
    }

    /** Copies and frees a NULL-terminated {@code const char **} from libjack; NULL is empty. */
    private static String[] strings(Pointer names) {
        if (names == null) {
            return new String[0];
        }
        try {
            return names.getStringArray(0);
        } finally {
            jack_free(names);
        }
    }
}
