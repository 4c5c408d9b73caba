package org.jamwire.jack;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Joins a JACK process thread that ended itself. libjack joins its process thread only when it
 * cancels it; one that ended itself (see {@link PeriodCallback#finish}) would keep its stack until
 * the process exits, one per closed client.
 */
final class ThreadReaper {

    static {
        Native.register(ThreadReaper.class, Platform.C_LIBRARY_NAME);
    }

    private ThreadReaper() {
    }

    private static native int pthread_join(long thread, long result);

    /** Joins {@code thread}, which has ended or is ending; 0 if it worked, else an errno. */
    static int join(long thread) {
        return pthread_join(thread, 0L);
    }
}
