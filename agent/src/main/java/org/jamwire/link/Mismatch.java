package org.jamwire.link;

import org.jamwire.engine.StreamFormat;
import org.jamwire.protocol.SampleRateCode;

/** Words for a sample-rate or bit-depth mismatch with the peer, naming both values and the fix. */
final class Mismatch {

    private Mismatch() {
    }

    static String describe(StreamFormat local, int peerRateCode, int peerBits) {
        final StringBuilder s = new StringBuilder();
        if (peerRateCode != local.rateCode()) {
            s.append("sample rate mismatch: this end runs at ").append(SampleRateCode.describe(local.rateCode()))
                    .append(", the peer at ").append(SampleRateCode.describe(peerRateCode))
                    .append("; run both JACK servers at the same rate (jackd -r)");
        }
        if (peerBits != local.bits()) {
            if (s.length() > 0) {
                s.append("; and ");
            }
            s.append("bit depth mismatch: this end uses ").append(local.bits()).append("-bit samples, the peer ")
                    .append(peerBits).append("-bit; give both ends the same --bitres");
        }
        return s.toString();
    }
}
