package org.jamwire.engine;

import java.util.Objects;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleCodec;
import org.jamwire.protocol.SampleRateCode;

/**
 * The local end's stream format, fixed when a link starts: the audio server's rate and period, and
 * the link's wire settings. Immutable.
 *
 * @param sampleRate audio server sample rate in Hz
 * @param bufferSize audio server frames per period
 * @param bits bit resolution on the wire
 * @param sendChannels channels this end sends
 * @param receiveChannels channels this end plays
 * @param redundancy packets per datagram
 * @param queue receive queue length in periods
 * @param underrunPolicy what the receive queue plays for audio that did not arrive
 * @param followDrift whether the receive queue follows the peer's clock (see {@link DriftEstimator})
 * @param maxQueueMillis the most delay an automatic queue adds, in ms, or 0 for its default
 */
public record StreamFormat(int sampleRate, int bufferSize, int bits, int sendChannels,
        int receiveChannels, int redundancy, int queue, UnderrunPolicy underrunPolicy, boolean followDrift,
        int maxQueueMillis) {

    /** Checks that a policy is set. */
    public StreamFormat {
        Objects.requireNonNull(underrunPolicy, "underrunPolicy");
    }

    /** A format whose receive queue follows the peer's clock, an automatic one up to its default length. */
    public StreamFormat(int sampleRate, int bufferSize, int bits, int sendChannels, int receiveChannels,
            int redundancy, int queue, UnderrunPolicy underrunPolicy) {
        this(sampleRate, bufferSize, bits, sendChannels, receiveChannels, redundancy, queue, underrunPolicy, true, 0);
    }

    /** The wire code of {@link #sampleRate()}. */
    public int rateCode() {
        return SampleRateCode.codeFor(sampleRate);
    }

    /** Bytes of one packet this end sends: header plus planar payload. */
    public int packetLength() {
        return PacketHeader.LENGTH + bufferSize * sendChannels * SampleCodec.bytesPerSample(bits);
    }

    /** Bytes of one datagram this end sends. */
    public int datagramLength() {
        return packetLength() * redundancy;
    }
}
