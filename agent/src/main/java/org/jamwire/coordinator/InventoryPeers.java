package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jamwire.coordinator.AnsibleInventory.Failure;
import org.jamwire.coordinator.AnsibleInventory.InventoryException;

/**
 * The lab described once: the hosts of an Ansible inventory's {@code lab} group (and of its child
 * groups) become peers, each read from the variables the roles use: host {@code ansible_host} (else
 * the inventory name), ssh port {@code ansible_port} (22), user {@code jamwire_agent_user}
 * ("jamwire"), key {@code jamwire_coordinator_key} (else {@code ansible_ssh_private_key_file}),
 * JACK server {@code jack_service_server} ("default"), agent port {@code jamwire_agent_port} (8464)
 * and token file {@code jamwire_agent_token_file} ("/var/lib/jamwire/token"). A peer of the same
 * name is kept as it is; a value still a Jinja template or vault-encrypted is refused, since
 * ansible-inventory prints those unevaluated. Host keys are not touched: each new peer's is
 * confirmed by fingerprint on its first probe. Called on an HTTP thread or the main thread.
 */
public final class InventoryPeers {

    /** The inventory group whose hosts are the lab's machines. */
    public static final String GROUP = "lab";
    /** The agent's token file on a host provisioned with the default {@code jamwire_agent_state_dir}. */
    static final String DEFAULT_TOKEN_FILE = "/var/lib/jamwire/token";
    /** The user the roles run the agent as, which the coordinator logs in as. */
    static final String DEFAULT_USER = "jamwire";

    /** What became of one host. */
    public enum Outcome {
        /** Now a peer. */
        ADDED,
        /** A peer of that name existed, and is left as it was. */
        KEPT,
        /** Not added: {@link HostResult#message()} says why. */
        REFUSED
    }

    /**
     * One host of the inventory and what became of it.
     *
     * @param host its inventory name
     * @param outcome added, kept or refused
     * @param field for a refusal, the inventory variable at fault (or "name" for the host's name)
     * @param message what was done, or why not and how to fix it
     * @param peer the peer added or kept, else null
     */
    public record HostResult(String host, Outcome outcome, String field, String message, Peer peer) {
    }

    /** A host as read: a peer, or the variable that stops it being one. */
    record Candidate(String host, Peer peer, String field, String message) {
    }

    /** A value that cannot be used, named by its variable. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final String field;

        Refusal(String field, String message) {
            super(field + ": " + message, null, false, false);
            this.field = field;
        }
    }

    private InventoryPeers() {
    }

    /**
     * Reads {@code file} with ansible-inventory and adds its lab's hosts to {@code lab}.
     *
     * @param file a path {@link AnsibleInventory#checkFile} accepted
     * @return each host of the group, in the inventory's order
     * @throws InventoryException when the inventory cannot be read or has no lab group
     * @throws IOException when the peer list cannot be saved
     */
    public static List<HostResult> importInto(Lab lab, Path file) throws InventoryException, IOException {
        final List<Candidate> read = read(AnsibleInventory.list(file), System.getProperty("user.home"));
        final List<HostResult> results = new ArrayList<>();
        for (Candidate c : read) {
            if (c.peer() == null) {
                results.add(new HostResult(c.host(), Outcome.REFUSED, c.field(), c.message(), null));
                continue;
            }
            try {
                final Peer added = lab.add(c.peer());
                results.add(new HostResult(c.host(), Outcome.ADDED, null, "added: probe it to confirm its host key"
                        + " by fingerprint", added));
            } catch (Lab.LabException e) {
                results.add(new HostResult(c.host(), Outcome.KEPT, null, "a peer named '" + c.host() + "' exists"
                        + " already and is left as it is (remove it first to import it again)",
                        existing(lab, c.host())));
            }
        }
        return results;
    }

    private static Peer existing(Lab lab, String name) {
        return lab.peers().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The lab group's hosts in what {@code ansible-inventory --list} printed, each as a peer or a refusal.
     *
     * @param home what {@code ~} in a key's path stands for: this agent's user's home
     * @throws InventoryException when there is no lab group, or it has no host
     */
    static List<Candidate> read(JsonNode inventory, String home) throws InventoryException {
        final Set<String> hosts = new LinkedHashSet<>();
        collect(inventory, GROUP, hosts, new HashSet<>());
        if (!inventory.has(GROUP)) {
            final List<String> groups = new ArrayList<>();
            inventory.fieldNames().forEachRemaining(g -> {
                if (!g.equals("_meta")) {
                    groups.add(g);
                }
            });
            throw new InventoryException(Failure.BAD_INVENTORY, "the inventory has no group '" + GROUP + "' (its"
                    + " groups: " + String.join(", ", groups) + "): put the lab's machines under " + GROUP + ":,"
                    + " as ansible/inventory.example.yml does");
        }
        if (hosts.isEmpty()) {
            throw new InventoryException(Failure.BAD_INVENTORY, "the inventory's group '" + GROUP + "' has no hosts");
        }
        final JsonNode hostvars = inventory.path("_meta").path("hostvars");
        final List<Candidate> out = new ArrayList<>();
        for (String h : hosts) {
            try {
                out.add(new Candidate(h, peer(h, hostvars.path(h), home), null, null));
            } catch (Refusal r) {
                out.add(new Candidate(h, null, r.field, r.getMessage()));
            }
        }
        return out;
    }

    /** The hosts of {@code group} and of its children, depth first, each once. */
    private static void collect(JsonNode inventory, String group, Set<String> hosts, Set<String> seen) {
        if (!seen.add(group)) {
            return;
        }
        final JsonNode g = inventory.path(group);
        for (JsonNode h : g.path("hosts")) {
            if (h.isTextual()) {
                hosts.add(h.asText());
            }
        }
        for (JsonNode child : g.path("children")) {
            if (child.isTextual()) {
                collect(inventory, child.asText(), hosts, seen);
            }
        }
    }

    private static Peer peer(String name, JsonNode vars, String home) throws Refusal {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new Refusal("name", "the host's inventory name '" + AnsibleInventory.clip(name) + "' cannot name a"
                    + " peer: use 1 to 63 letters, digits, _ . -, starting with a letter or digit");
        }
        final String host = or(text(vars, "ansible_host"), name);
        final int port = number(vars, "ansible_port", 22);
        final String user = or(text(vars, "jamwire_agent_user"), DEFAULT_USER);
        String keyVar = "jamwire_coordinator_key";
        String key = text(vars, keyVar);
        for (Iterator<String> it = List.of("ansible_ssh_private_key_file", "ansible_private_key_file").iterator();
                key == null && it.hasNext();) {
            keyVar = it.next();
            key = text(vars, keyVar);
        }
        if (key == null) {
            throw new Refusal("jamwire_coordinator_key", "not set: give the private key the coordinator logs in"
                    + " with, e.g. jamwire_coordinator_key: ~/jamwire-lab/id_ed25519 under " + GROUP + ": vars:");
        }
        final Path keyFile = keyPath(keyVar, key, home);
        final String jackServer = or(text(vars, "jack_service_server"), "default");
        final int agentPort = number(vars, "jamwire_agent_port", Peer.DEFAULT_AGENT_PORT);
        final String stateDir = text(vars, "jamwire_agent_state_dir");
        final String token = or(text(vars, "jamwire_agent_token_file"),
                stateDir == null ? DEFAULT_TOKEN_FILE : stateDir.replaceAll("/+$", "") + "/token");
        try {
            return new Peer(name, host, port, user, keyFile, jackServer, agentPort, token, null);
        } catch (IllegalArgumentException e) {
            final String m = e.getMessage();
            final int colon = m.indexOf(':');
            final String field = colon > 0 ? m.substring(0, colon) : "";
            final String var = switch (field) {
                case "name" -> "name";
                case "host" -> vars.has("ansible_host") ? "ansible_host" : "name";
                case "port" -> "ansible_port";
                case "user" -> "jamwire_agent_user";
                case "key" -> keyVar;
                case "jackServer" -> "jack_service_server";
                case "agentPort" -> "jamwire_agent_port";
                case "agentToken" -> vars.has("jamwire_agent_token_file") ? "jamwire_agent_token_file"
                        : "jamwire_agent_state_dir";
                default -> "host";
            };
            throw new Refusal(var, (colon > 0 ? m.substring(colon + 1).strip() : m)
                    + (field.equals("key") ? " (it must be readable by this agent's user, "
                            + System.getProperty("user.name") + ")" : ""));
        }
    }

    private static Path keyPath(String var, String key, String home) throws Refusal {
        final Path p;
        try {
            p = AnsibleInventory.expandHome(key, home);
        } catch (IllegalArgumentException e) {
            throw new Refusal(var, e.getMessage());
        }
        if (!p.isAbsolute()) {
            throw new Refusal(var, "'" + AnsibleInventory.clip(key) + "' is a relative path, which Ansible and this"
                    + " agent would read from different directories: give it as ~/... or in full");
        }
        return p.normalize();
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    /**
     * A variable's value as text, or null when the host has none; refused when it is a template,
     * vault-encrypted, or not a single value.
     */
    private static String text(JsonNode vars, String var) throws Refusal {
        final JsonNode v = vars.get(var);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isObject() && v.has("__ansible_vault")) {
            throw new Refusal(var, "vault-encrypted, and ansible-inventory prints it without the vault password:"
                    + " give this value in clear text (it is no secret), or add the peer by hand");
        }
        if (!v.isValueNode()) {
            throw new Refusal(var, "must be a single value, not a " + (v.isArray() ? "list" : "mapping"));
        }
        final String s = v.asText();
        if (s.contains("{{") || s.contains("{%")) {
            throw new Refusal(var, "'" + AnsibleInventory.clip(s) + "' is a Jinja template, which ansible-inventory"
                    + " prints as it is written, unevaluated: give the value itself, or add the peer by hand");
        }
        if (s.isBlank()) {
            throw new Refusal(var, "empty: give a value, or leave the variable out for its default");
        }
        return s.strip();
    }

    private static int number(JsonNode vars, String var, int fallback) throws Refusal {
        final JsonNode v = vars.get(var);
        final String s = text(vars, var);
        if (s == null) {
            return fallback;
        }
        if ((v.isTextual() || v.isIntegralNumber()) && s.matches("[0-9]{1,5}")
                && Integer.parseInt(s) >= 1 && Integer.parseInt(s) <= 65535) {
            return Integer.parseInt(s);
        }
        throw new Refusal(var, "'" + AnsibleInventory.clip(s) + "' is not a port: use a whole number from 1 to"
                + " 65535");
    }
}
