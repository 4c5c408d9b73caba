package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A pair's end as a link on a peer's agent, reached through the agent's tunnel. Started on the
 * pair's control thread; closed on it or on an HTTP thread.
 */
final class AgentLink implements RemoteEnd {
    /** The counter of audio packets delivered to the receive queue ({@code LinkCounter.PACKETS_RECEIVED}). */
    static final String RECEIVED = "pkts_in";

    private final PeerAgent agent;
    private final String id;
    private volatile boolean closed;

    /**
     * @throws IOException when the agent answered something that is not a link id
     */
    AgentLink(PeerAgent agent, String id) throws IOException {
        if (!id.matches("l[0-9]{1,9}")) {
            throw new IOException("the agent on " + agent.name() + " answered a link id that is not one");
        }
        this.agent = agent;
        this.id = id;
    }

    /** The agent the link runs on. */
    PeerAgent agent() {
        return agent;
    }

    @Override
    public boolean running() {
        return !closed;
    }

    @Override
    public String link() {
        return id;
    }

    @Override
    public String output() {
        return "";
    }

    /** Polls the link's state on the agent: waiting or streaming means it listens. */
    @Override
    public String awaitListening(String program, Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            try {
                final JsonNode link = agent.get("/api/links/" + id);
                last = link.path("state").asText("");
                if (last.equals("waiting") || last.equals("streaming")) {
                    return null;
                }
                if (last.equals("failed") || last.equals("stopped")) {
                    return ": the link " + last + ": " + link.path("failure").asText("");
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return " within " + timeout.toSeconds() + " s (" + last + ")";
    }

    /** Its {@code pkts_in} counter, through the agent. */
    @Override
    public boolean audioArrived() throws IOException {
        return agent.get("/api/links/" + id + "/counters").path(RECEIVED).asLong(0) > 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                agent.delete("/api/links/" + id);
            } catch (IOException e) {
                // The session is going: the peer's link is then left to its agent, which the user sees.
            }
        }
    }
}
