package org.jamwire.coordinator;

import java.time.Duration;

/**
 * A pair's end as a program in the foreground of an ssh channel, for a peer without an agent.
 * Started on the pair's control thread; closed on it or on an HTTP thread.
 */
final class ChannelLink implements RemoteEnd {
    private final RemoteProcess process;

    ChannelLink(RemoteProcess process) {
        this.process = process;
    }

    @Override
    public boolean running() {
        return process.isRunning();
    }

    @Override
    public String link() {
        return null;
    }

    @Override
    public String output() {
        return process.output();
    }

    /** Waits for the line each program prints once it listens, or for its exit. */
    @Override
    public String awaitListening(String program, Duration timeout) {
        final String sign = program.equals("jamwire") ? "waiting for a client" : "Waiting for Peer";
        if (process.awaitOutput(sign, timeout)) {
            return null;
        }
        return (process.isRunning() ? " within " + timeout.toSeconds() + " s" : " (it exited "
                + process.exitStatus() + ")") + ": " + DetachedLink.tail(output(), 400);
    }

    /**
     * Whether the program has said its first packet came: jamwire prints "receiving from HOST:PORT"
     * on its first valid datagram, jacktrip "Received Connection from Peer!".
     */
    @Override
    public boolean audioArrived() {
        final String out = output();
        return out.contains("jamwire: receiving from ") || out.contains("Received Connection from Peer");
    }

    @Override
    public void close() {
        process.close();
    }
}
