package org.jamwire.control;

import java.util.List;
import java.util.Map;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.link.LinkConfig;
import org.jamwire.options.Command;

/**
 * A link request checked as the command line checks it, on this agent's audio server: what it
 * stands for and what it would stream. Made by {@link LinkManager#check}; immutable.
 *
 * @param mode {@code server}, {@code client}, {@code hubserver} or {@code hubclient}
 * @param host the host a client connects to, or null
 * @param options the options as requested
 * @param commandLine the equivalent command line
 * @param warnings what the command line would warn about
 * @param shape what the link would stream
 * @param command the parsed command: a P2P link, a hub client or a hub server
 */
public record LinkRequest(String mode, String host, Map<String, Object> options, String commandLine,
        List<String> warnings, Shape shape, Command command) {

    /**
     * What a link would stream, as far as its options say. Its rate and period are the built-in
     * backend's when it uses that one; on JACK they are the server's, which the options do not hold.
     *
     * @param builtin whether it runs on the built-in backend, which needs no JACK server
     * @param sampleRate the built-in backend's rate; 0 on JACK
     * @param bufferSize the built-in backend's period; 0 on JACK
     * @param expectedBufferSize the period the user says the audio server runs at (the seed's
     *     {@code -z}), or 0
     * @param bitResolution bits per sample on the wire
     * @param sendChannels channels sent
     * @param receiveChannels channels received
     * @param queue the receive queue's length in packets, or {@code auto}
     */
    public record Shape(boolean builtin, int sampleRate, int bufferSize, int expectedBufferSize, int bitResolution,
            int sendChannels, int receiveChannels, String queue) {

        static Shape of(LinkConfig c) {
            final boolean builtin = c.backend() == LinkConfig.BackendKind.BUILTIN;
            return new Shape(builtin, builtin ? c.builtin().sampleRate() : 0, builtin ? c.builtin().bufferSize() : 0,
                    c.expectedBufferSize(), c.bitResolution(), c.sendChannels(), c.receiveChannels(),
                    queueName(c.queue()));
        }

        /** The rate it runs at: the built-in backend's, else {@code jackRate}. */
        public int rateOn(int jackRate) {
            return builtin ? sampleRate : jackRate;
        }

        /** The period it runs at: the built-in backend's, else {@code jackPeriod}. */
        public int periodOn(int jackPeriod) {
            return builtin ? bufferSize : jackPeriod;
        }

        /** The bytes of its largest datagram at {@code frames} a period. */
        public int datagramBytes(int frames) {
            return 16 + Math.max(sendChannels, receiveChannels) * frames * (bitResolution / 8);
        }
    }

    static String queueName(int queue) {
        return queue == ReceiveQueue.AUTO ? "auto" : String.valueOf(queue);
    }
}
