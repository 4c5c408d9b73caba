package org.jamwire.coordinator;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A command left running on a peer, such as a link's server, on a terminal of its own: its output
 * is kept as it comes, and it ends when told to or when its session closes (sshd then hangs it up).
 * Started on a control thread; read and stopped on control or HTTP threads.
 */
public final class RemoteProcess implements AutoCloseable {
    /** What a terminal turns into SIGINT. */
    private static final int CTRL_C = 3;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Session session;
    private final ChannelExec channel;
    private final OutputStream terminal;
    private final CappedOutput out;
    private final CappedOutput err;
    private final String name;
    private final Duration stopWait;

    /**
     * @param name what it is in messages, e.g. "jamwire on user@host:22"
     * @param stopWait how long it may take to stop after Ctrl-C
     */
    RemoteProcess(Session session, ChannelExec channel, OutputStream terminal, CappedOutput out, CappedOutput err,
            String name, Duration stopWait) {
        this.session = session;
        this.channel = channel;
        this.terminal = terminal;
        this.out = out;
        this.err = err;
        this.name = name;
        this.stopWait = stopWait;
    }

    /** Whether it still runs. */
    public boolean isRunning() {
        return !channel.isClosed() && session.isConnected();
    }

    /** Its exit status, or -1 while it runs. */
    public int exitStatus() {
        return channel.isClosed() ? channel.getExitStatus() : -1;
    }

    /** What it printed so far, stdout then stderr. */
    public String output() {
        return out.text() + err.text();
    }

    /**
     * Waits until its output contains {@code text}, it ends, or {@code timeout} passes.
     *
     * @return whether the text appeared
     */
    public boolean awaitOutput(String text, Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (output().contains(text)) {
                return true;
            }
            if (!isRunning()) {
                return output().contains(text);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return false;
    }

    /**
     * Asks it to stop as Ctrl-C would, by typing Ctrl-C on its terminal (sshd does not take
     * signal requests), waits up to {@code stopWait}, then hangs up, which sends it SIGHUP.

    /**
     * Asks it to stop as Ctrl-C would, by typing Ctrl-C on its terminal (sshd does not take
     * signal requests), waits up to {@code stopWait}, then hangs up, which sends it SIGHUP.
     */
    @Override
    public void close() {
        try {
            if (isRunning()) {
                terminal.write(CTRL_C);
                terminal.flush();
                final long deadline = System.nanoTime() + stopWait.toNanos();
                while (isRunning() && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
        } catch (IOException e) {
            // Hanging up below ends it anyway.
        } finally {
            channel.disconnect();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
