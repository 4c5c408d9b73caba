package org.jamwire.control;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A link as the faces show it, taken at one moment: what was asked for, its state, its format and,
 * for a hub server, the hub's settings. Made on control, HTTP and feed threads; immutable.
 *
 * @param id the agent's id of the link, e.g. {@code l1}
 * @param mode {@code server}, {@code client}, {@code hubserver} or {@code hubclient}
 * @param host the host a client or hub client connects to, or null
 * @param state {@code waiting}, {@code connected}, {@code audio_lost}, {@code stopped} or {@code failed}
 * @param failure why it failed, or null
 * @param clientName its audio client's name; null for a hub server
 * @param localPort its UDP port, or a hub server's TCP port
 * @param peer the peer's address and port once known, or null
 * @param commandLine the equivalent command line
 * @param options the options as requested
 * @param format what it streams
 * @param hubPort for a hub client, the UDP port the hub gave it; else -1
 * @param xruns xruns its audio client saw
 * @param uptimeSeconds how long it has run, to the millisecond
 * @param startedAt when it was started
 * @param hub a hub server's settings; null for any other link
 * @param counters its counters, or null when the view was asked for without them
 * @param clients a hub server's clients with their counters, or null
 * @param events its recent events, oldest first, or null when asked for without them
 */
public record LinkView(String id, String mode, String host, String state, String failure, String clientName,
        int localPort, String peer, String commandLine, Map<String, Object> options, Format format, int hubPort,
        long xruns, double uptimeSeconds, Instant startedAt, Hub hub, CounterValues counters,
        List<HubClientView> clients, List<AgentEvent> events) {

    /**
     * What a link streams. A hub server's template has no rate, period or channels of its own: those
     * are 0 there.
     *
     * @param sampleRate Hz
     * @param bufferSize frames per period
     * @param bitResolution bits per sample on the wire
     * @param sendChannels channels sent
     * @param receiveChannels channels received
     * @param queue the receive queue's length in packets, or {@code auto}
     * @param redundancy copies of each packet sent
     * @param backend {@code jack} or {@code builtin}
     */
    public record Format(int sampleRate, int bufferSize, int bitResolution, int sendChannels, int receiveChannels,
            String queue, int redundancy, String backend) {
    }

    /**
     * A hub server's settings.
     *
     * @param tcpPort the port clients ask on
     * @param udpBasePort the first UDP port given to clients
     * @param patch the patch mode's number
     * @param patchMeaning what the patch mode does
     * @param includeServer whether the hub's own audio is patched in
     * @param upmix whether mono clients are upmixed
     * @param clients clients now
     */
    public record Hub(int tcpPort, int udpBasePort, int patch, String patchMeaning, boolean includeServer,
            boolean upmix, int clients) {
    }

    /** Whether it is a hub server. */
    public boolean isHub() {
        return hub != null;
    }
}
