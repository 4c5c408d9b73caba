package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The saved ensembles: a JSON list of definitions, readable by this agent's user only, replaced
 * whole and atomically on every change. Called under its owner's lock.
 */
public final class EnsembleFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public EnsembleFile(Path file) {
        this.file = file;
    }

    /**
     * The ensembles in the file by name, in its order; none when there is no file yet.
     *
     * @throws IOException when the file exists but does not hold valid definitions; the message
     *     names the file and the ensemble at fault
     */
    public Map<String, Ensemble> load() throws IOException {
        final Map<String, Ensemble> all = new LinkedHashMap<>();
        final JsonNode root = OwnerOnlyJson.readList(file, "ensembles");
        if (root == null) {
            return all;
        }
        for (JsonNode n : root) {
            final List<Ensemble.Member> members = new ArrayList<>();
            for (JsonNode m : n.path("members")) {
                members.add(new Ensemble.Member(m.path("peer").asText(null), m.path("channels").asInt(0),
                        m.path("queue").asText(null)));
            }
            try {
                final Ensemble e = Ensemble.checked(n.path("name").asText(null), n.path("hub").asText(null),
                        n.path("patch").asInt(-1), members);
                all.put(e.name(), e);
            } catch (Ensemble.Invalid e) {
                throw new IOException(file + ": ensemble '" + n.path("name").asText("?") + "': " + e.getMessage(), e);
            }
        }
        return all;
    }

    /** Writes the ensembles, in order, in place of what the file held. */
    public void save(Collection<Ensemble> ensembles) throws IOException {
        final ArrayNode list = JSON.createArrayNode();
        for (Ensemble e : ensembles) {
            final ObjectNode o = list.addObject().put("name", e.name()).put("hub", e.hub()).put("patch", e.patch());
            final ArrayNode members = o.putArray("members");
            for (Ensemble.Member m : e.members()) {
                members.addObject().put("peer", m.peer()).put("channels", m.channels()).put("queue", m.queue());
            }
        }
        OwnerOnlyJson.replace(file, list);
    }
}
