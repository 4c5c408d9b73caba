package org.jamwire.link;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.StreamFormat;

/**
 * A snapshot of a link for the control layer: state, peer, counters and formats. Built on a control
 * thread by {@link Link#stats()}.
 *
 * @param state the link's state
 * @param peer the peer's address, or null while none is known
 * @param counters every counter's value
 * @param xruns xruns the audio server reported
 * @param peerRateCode the peer's sample-rate code, or -1
 * @param peerBits the peer's bit resolution, or -1
 * @param peerFrames frames per packet from the peer, or -1
 * @param peerChannels channels per packet from the peer, or -1
 * @param format this end's stream format
 * @param uptime time since the link started
 */
public record LinkStats(Link.State state, InetSocketAddress peer, Map<LinkCounter, Long> counters, long xruns,
        int peerRateCode, int peerBits, int peerFrames, int peerChannels, StreamFormat format, Duration uptime) {

    /** One counter's value. */
    public long get(LinkCounter c) {
        return counters.getOrDefault(c, 0L);
    }

    /** One line for {@code -I}: every counter as label=value, then xruns. */
    public String statLine() {
        final StringBuilder s = new StringBuilder();
        s.append(String.format("%6.1fs %-16s", uptime.toMillis() / 1000.0, state.name().toLowerCase()));
        for (LinkCounter c : LinkCounter.values()) {
            s.append(' ').append(c.label()).append('=').append(get(c));
        }
        s.append(" xruns=").append(xruns);
        return s.toString();
    }
}
