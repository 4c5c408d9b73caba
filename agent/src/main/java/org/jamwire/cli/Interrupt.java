package org.jamwire.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jamwire.options.ExitCode;

/**
 * Ctrl-C for a command that runs until stopped: a shutdown hook that stops what the command
 * started and tells the main thread it happened, then gives the main thread a moment to print its
 * last words. A stop that has not returned within {@value #STOP_SECONDS} s is reported, with where
 * it hung, and the process exits anyway. Installed and finished on the main thread; the hook runs on the JVM's.
 */
public final class Interrupt {

    private final Thread hook;
    private final CountDownLatch fired = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean removed = new AtomicBoolean();

    /** Seconds Ctrl-C waits for the command to stop before the process exits anyway. */
    static final int STOP_SECONDS = 5;

    private Interrupt(Runnable stop) {
        hook = new Thread(() -> {
            fired.countDown();
            final Thread stopping = new Thread(stop, "jamwire-stop");
            stopping.setDaemon(true);
            stopping.start();
            try {
                stopping.join(TimeUnit.SECONDS.toMillis(STOP_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stopping.isAlive()) {
                // A stop that hangs (an audio server that does not let its client go) must not
                // keep Ctrl-C from ending the process.
                System.err.println("jamwire: did not stop within " + STOP_SECONDS + " s; exiting anyway. Where"
                        + " it was:\n" + stackOf(stopping));
                System.err.flush();
                Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
            }
            try {
                // Let the main thread print its last words before the JVM goes.
                finished.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jamwire-interrupt");
    }

    private static String stackOf(Thread t) {
        final StringBuilder b = new StringBuilder();
        for (final StackTraceElement e : t.getStackTrace()) {
            b.append("    at ").append(e).append('\n');
        }
        return b.toString();
    }

    /** Installs the hook; on Ctrl-C it runs {@code stop}. */
    public static Interrupt install(Runnable stop) {
        final Interrupt i = new Interrupt(stop);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** Waits for Ctrl-C up to the timeout; true if it came. */
    public boolean await(long t, TimeUnit unit) throws InterruptedException {
        return fired.await(t, unit);
    }

    /** True once Ctrl-C came. */
    public boolean fired() {
        return fired.getCount() == 0;
    }

    /** The command is over: lets a running hook finish, or removes the hook that never ran. */
    public void done() {
        finished.countDown();
        if (!fired() && removed.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running and will find us done.
            }
        }
    }
}
