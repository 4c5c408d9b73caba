package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lab's peers as kept on disk: a JSON list, readable by this agent's user only, replaced
 * whole and atomically on every change. Probe reports are not kept. Called by {@link Lab}: on the
 * thread that builds it, then on HTTP threads under its lock.
 */
final class PeerFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    PeerFile(Path file) {
        this.file = file;
    }

    /**
     * The peers in the file by name, in its order; none when there is no file yet.
     *
     * @throws IOException when the file exists but cannot be read as a peer list; the message names it
     */
    Map<String, Peer> load() throws IOException {
        final Map<String, Peer> peers = new LinkedHashMap<>();
        final JsonNode root = OwnerOnlyJson.readList(file, "peers");
        if (root == null) {
            return peers;
        }
        for (JsonNode n : root) {
            try {
                final Peer p = new Peer(n.path("name").asText(null), n.path("host").asText(null),
                        n.path("port").asInt(22), n.path("user").asText(null), Path.of(n.path("key").asText("")),
                        n.path("jackServer").asText("default"), n.path("agentPort").asInt(Peer.DEFAULT_AGENT_PORT),
                        n.path("agentToken").asText(Peer.DEFAULT_AGENT_TOKEN), null);
                peers.put(p.name(), p);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": peer '" + n.path("name").asText("?") + "': " + e.getMessage(), e);
            }
        }
        return peers;
    }

    /** Writes the peers, in order, in place of what the file held. */
    void save(Collection<Peer> peers) throws IOException {
        final ArrayNode list = JSON.createArrayNode();
        for (Peer p : peers) {
            list.addObject().put("name", p.name()).put("host", p.host()).put("port", p.port()).put("user", p.user())
                    .put("key", p.key().toString()).put("jackServer", p.jackServer())
                    .put("agentPort", p.agentPort()).put("agentToken", p.agentToken());
        }
        OwnerOnlyJson.replace(file, list);
    }
}
