package org.jamwire.audio;

/**
 * The engine's side of an audio backend: called once per period on the audio thread (the JACK
 * process callback, or the built-in backend's clock thread). Implementations must not allocate,
 * lock, block or log.
 */
@FunctionalInterface
public interface AudioProcessor {

    /**
     * Processes one period.
     *
     * @param inputs captured audio to send to the network, one array per send channel, each at
     *     least {@code frames} long
     * @param outputs audio to play, one array per receive channel, each at least {@code frames}
     *     long; the processor must write all {@code frames} samples of every channel
     * @param frames frames in this period
     */
    void process(float[][] inputs, float[][] outputs, int frames);
}
