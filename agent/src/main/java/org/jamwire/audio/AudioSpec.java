package org.jamwire.audio;

import java.util.Objects;

/**
 * What a link asks of an audio backend: a client name and its port counts. Built on the control
 * thread.
 *
 * @param clientName name of the audio client (the JACK client name)
 * @param sendChannels number of capture ports, named {@code send_1..n}
 * @param receiveChannels number of playback ports, named {@code receive_1..n}
 * @param autoConnect connect the ports to the system's capture and playback ports
 */
public record AudioSpec(String clientName, int sendChannels, int receiveChannels, boolean autoConnect) {

    /** Checks the counts. */
    public AudioSpec {
        Objects.requireNonNull(clientName, "clientName");
        if (sendChannels < 0 || receiveChannels < 0) {
            throw new IllegalArgumentException("channel counts must not be negative");
        }
    }
}
