package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The watchdog's checks of an ensemble's control path: every end an agent runs is asked for by its
 * agent (the hub's clients kept as it lists them), every detached member's state and log read.
 * Where the ssh connection to a machine is gone, it connects again and goes on with the end
 * through the new session. Watchdog thread, or a stop.
 */
final class EnsembleWatch {

    private final EnsembleEnds ends;
    private final Lab lab;

    EnsembleWatch(EnsembleEnds ends, Lab lab) {
        this.ends = ends;
        this.lab = lab;
    }

    /**
     * Checks every end once.
     *
     * @return null when every end answered and runs; else what was done or found, for the run's view
     */
    String check() {
        final RemoteEnd hub = ends.hubEnd();
        final List<String> said = new ArrayList<>();
        for (Map.Entry<String, RemoteEnd> e : ends.endsByMachine().entrySet()) {
            final String machine = e.getKey();
            if (ends.closed()) {
                break;
            }
            if (e.getValue() instanceof DetachedLink detached) {
                final String note = detached(machine, detached);
                if (note != null) {
                    said.add(note);
                }
                continue;
            }
            final PeerAgent agent = ends.agent(machine);
            if (agent == null) {
                continue;
            }
            try {
                final JsonNode link = agent.get("/api/links/" + e.getValue().link());
                if (e.getValue() == hub) {
                    ends.hubClients(HubClients.of(link, Instant.now()));
                }
            } catch (PeerAgent.AgentError gone) {
                said.add(machine + "'s link " + e.getValue().link() + " is gone from its agent (" + gone.status()
                        + "): stop the ensemble and start it again");
            } catch (IOException cut) {
                said.add(reconnect(machine, e.getValue()));
            }
        }
        return said.isEmpty() ? null : String.join("; ", said);
    }

    /**
     * Reads a detached member's state; where the ssh connection to its machine is gone, connects
     * again first.
     *
     * @return null while it runs and the connection holds; else what was done or found
     */
    private String detached(String machine, DetachedLink end) {
        final String program = ends.program(machine);
        String again = null;
        try {
            end.refresh();
        } catch (SshException cut) {
            try {
                end.rebind(ends.open(lab.get(machine)));
                end.refresh();
                again = "the ssh connection to " + machine + " was lost, and is back";
            } catch (Exception e) {
                return "the ssh connection to " + machine + " is lost, and cannot be made again: " + e.getMessage()
                        + " (its " + program + " runs on, detached; trying again)";
            }
        }
        if (!end.running()) {
            return machine + "'s " + program + " has exited: stop the ensemble and start it again (its log ends: "
                    + DetachedLink.tail(end.output(), 300) + ")";
        }
        return again == null ? null : again + ": its " + program + " ran on, detached";
    }

    /** Connects to {@code machine} again and goes on with its link {@code end} through a new tunnel. */
    private String reconnect(String machine, RemoteEnd end) {
        try {
            final PeerAgent agent = ends.connectAgent(machine);
            agent.get("/api/links/" + end.link());
            ends.replace(machine, end, new AgentLink(agent, end.link()));
            return "the ssh connection to " + machine + " was lost, and is back: its link " + end.link() + " ran on";
        } catch (Exception e) {
            return "the ssh connection to " + machine + " is lost, and cannot be made again: " + e.getMessage()
                    + " (its link " + end.link() + " runs on under its agent; trying again)";
        }
    }
}
