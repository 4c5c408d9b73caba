package org.jamwire.coordinator;

import java.io.IOException;
import java.time.Duration;

/**
 * One end of a pair started on a peer: a link on the peer's agent, or a program in the foreground
 * of an ssh channel. Started and waited on by the pair's control thread; HTTP threads read its
 * state and stop it.
 */
interface RemoteEnd extends AutoCloseable {

    /** Whether it still runs. */
    boolean running();

    /** The link's id on the peer's agent, or null in an ssh channel. */
    String link();

    /** What it printed so far (none when its agent runs it). */
    String output();

    /**
     * Waits until it listens for its client.
     *
     * @param program {@code agent}, {@code jamwire} or {@code jacktrip}: what runs it
     * @return null once it listens; else why not, to follow "did not start listening"
     */
    String awaitListening(String program, Duration timeout);

    /**
     * Whether audio from its peer has arrived: its link's packets-received counter is above 0
     * (read from its agent), or the program said that its first packet came (in an ssh channel).
     *
     * @throws IOException when its agent cannot be asked; the message says why
     */
    boolean audioArrived() throws IOException;

    @Override
    void close();
}
