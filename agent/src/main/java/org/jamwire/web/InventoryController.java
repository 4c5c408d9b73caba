package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jamwire.coordinator.AnsibleInventory;
import org.jamwire.coordinator.InventoryPeers;
import org.jamwire.coordinator.Lab;
import org.jamwire.coordinator.Peer;

/**
 * Importing the lab's peers from its Ansible inventory ({@code POST /api/lab/inventory}), and the
 * same for {@code jamwire agent --lab-inventory}. Thin: {@link InventoryPeers} does the work.
 * Called on HTTP threads, or the main thread at start; blocks while ansible-inventory runs (at most
 * {@link AnsibleInventory#TIME_LIMIT}).
 */
final class InventoryController {

    private final ObjectMapper json;
    private final Lab lab;
    private final Function<Peer, Map<String, Object>> view;

    /**
     * @param view how a peer is shown, as {@code GET /api/lab/peers} shows it
     */
    InventoryController(ObjectMapper json, Lab lab, Function<Peer, Map<String, Object>> view) {
        this.json = json;
        this.lab = lab;
        this.view = view;
    }

    void importInventory(Context ctx) throws IOException {
        final JsonNode b = Bodies.object(json, ctx);
        Bodies.onlyFields(b, List.of("path"), null);
        final String path = Bodies.text(b, "path", true);
        final Path file;
        final List<InventoryPeers.HostResult> results;
        try {
            file = AnsibleInventory.checkFile(path);
            results = InventoryPeers.importInto(lab, file);
        } catch (AnsibleInventory.InventoryException e) {
            throw refusal(e);
        }
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("inventory", file.toString());
        for (InventoryPeers.Outcome o : InventoryPeers.Outcome.values()) {
            v.put(o.name().toLowerCase(Locale.ROOT), results.stream().filter(r -> r.outcome() == o).count());
        }
        final List<Map<String, Object>> hosts = new ArrayList<>();
        for (InventoryPeers.HostResult r : results) {
            final Map<String, Object> h = new LinkedHashMap<>();
            h.put("name", r.host());
            h.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
            h.put("field", r.field());
            h.put("message", r.message());
            h.put("peer", r.peer() == null ? null : view.apply(r.peer()));
            hosts.add(h);
        }
        v.put("hosts", hosts);
        ctx.json(v);
    }

    private static ApiException refusal(AnsibleInventory.InventoryException e) {
        return switch (e.failure()) {
            case BAD_PATH -> ApiException.invalid("path", "a readable inventory file on the agent's machine",
                    e.getMessage());
            case BAD_INVENTORY -> ApiException.invalid("path", "a YAML or INI Ansible inventory with a group "
                    + InventoryPeers.GROUP, e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "unavailable", null, null, e.getMessage());
        };
    }

    /**
     * Imports the inventory at {@code path} into {@code lab}, for the command line.
     *
     * @return one line per host: what became of it
     * @throws IOException when the inventory cannot be read or the peers saved; the message says why
     */
    static List<String> importForConsole(Lab lab, String path) throws IOException {
        final List<InventoryPeers.HostResult> results;
        try {
            results = InventoryPeers.importInto(lab, AnsibleInventory.checkFile(path));
        } catch (AnsibleInventory.InventoryException e) {
            throw new IOException(e.getMessage(), e);
        }
        final List<String> lines = new ArrayList<>();
        for (InventoryPeers.HostResult r : results) {
            final Peer p = r.peer();
            lines.add(switch (r.outcome()) {
                case ADDED -> "added " + r.host() + " (" + p.target() + ", key " + p.key() + ", JACK server "
                        + p.jackServer() + ")";
                case KEPT -> "kept " + r.host() + ": " + r.message();
                case REFUSED -> "refused " + r.host() + ": " + r.message();
            });
        }
        return lines;
    }
}
