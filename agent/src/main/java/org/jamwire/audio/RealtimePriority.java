package org.jamwire.audio;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Puts the calling thread under SCHED_FIFO, as JACK does with its process thread, so that a busy
 * machine cannot starve the thread that plays a link's audio. It needs the same permission as
 * JACK's realtime mode (root, or an rtprio limit such as the audio group's); without it the thread
 * keeps its ordinary priority. Called once at start by the built-in backend's clock thread.
 */
public final class RealtimePriority {

    /** The built-in backend's clock thread, in the place of JACK's client threads. */
    public static final int CLOCK_PRIORITY = 5;
    private static final int SCHED_FIFO = 1;

    static {
        Native.register(RealtimePriority.class, Platform.C_LIBRARY_NAME);
    }

    private RealtimePriority() {
    }

    private static native int sched_setscheduler(int pid, int policy, long param);

    /** Tries to make the calling thread realtime at {@code priority}; true if it worked. */
    public static boolean applyToCurrentThread(int priority) {
        if (!Platform.isLinux()) {
            return false;
        }
        try (Memory param = new Memory(4)) {
            param.setInt(0, priority);
            // pid 0 is the calling thread on Linux, where every thread has its own scheduling policy.
            return sched_setscheduler(0, SCHED_FIFO, com.sun.jna.Pointer.nativeValue(param)) == 0;
        }
    }
}
