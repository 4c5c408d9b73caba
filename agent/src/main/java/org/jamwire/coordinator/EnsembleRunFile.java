package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ensembles that run, by name, with what each has on its machines: the hub's link id and every
 * member as started. An agent that starts again finds them from here. Owner-only, replaced whole
 * and atomically. Called under its owner's lock.
 */
public final class EnsembleRunFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public EnsembleRunFile(Path file) {
        this.file = file;
    }

    /**
     * What the file holds; none when there is no file yet.
     *
     * @throws IOException when it cannot be read as running ensembles; the message names it
     */
    public Map<String, EnsembleJob.Attached> load() throws IOException {
        final Map<String, EnsembleJob.Attached> all = new LinkedHashMap<>();
        final JsonNode root = OwnerOnlyJson.readList(file, "running ensembles");
        if (root == null) {
            return all;
        }
        for (JsonNode n : root) {
            final String name = n.path("name").asText("");
            final String hub = n.path("hubLink").asText("");
            final List<EnsembleJob.Started> members = new ArrayList<>();
            for (JsonNode m : n.path("members")) {
                final String link = m.path("link").isTextual() ? m.path("link").asText() : null;
                if (!m.path("peer").isTextual() || link != null && !link.matches("l[0-9]{1,9}")) {
                    throw new IOException(file + ": ensemble '" + PeerProbe.printable(name, 40) + "': a member"
                            + " without a peer, or with a link id that is not one");
                }
                members.add(new EnsembleJob.Started(m.path("peer").asText(), m.path("program").asText("agent"), link));
            }
            if (name.isEmpty() || !hub.matches("l[0-9]{1,9}")) {
                throw new IOException(file + ": a running ensemble without a name or a hub link id");
            }
            all.put(name, new EnsembleJob.Attached(hub, members));
        }
        return all;
    }

    /** Writes {@code running} in place of what the file held. */
    public void save(Map<String, EnsembleJob.Attached> running) throws IOException {
        final ArrayNode list = JSON.createArrayNode();
        for (Map.Entry<String, EnsembleJob.Attached> e : running.entrySet()) {
            final ObjectNode o = list.addObject().put("name", e.getKey()).put("hubLink", e.getValue().hubLink());
            final ArrayNode members = o.putArray("members");
            for (EnsembleJob.Started m : e.getValue().members()) {
                members.addObject().put("peer", m.peer()).put("program", m.program()).put("link", m.link());
            }
        }
        OwnerOnlyJson.replace(file, list);
    }
}
