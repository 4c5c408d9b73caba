package org.jamwire.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts of an Ansible inventory's {@code lab} group (its child groups included), as
 * {@code ansible-inventory -i FILE --list} resolves them: where ssh reaches each one. Every value is
 * checked, and one that cannot be used (a template, an odd name) names the host and the variable.
 * Called on the main thread of {@code jamwire lab trust}; {@link AnsibleInventory} runs ansible-inventory.
 */
public final class InventoryHosts {

    /** The group whose hosts are the lab. */
    public static final String GROUP = "lab";
    private static final Pattern KNOWN_HOSTS_OPTION =
            Pattern.compile("UserKnownHostsFile\\s*[= ]\\s*(\"[^\"]+\"|'[^']+'|[^\\s\"']+)", Pattern.CASE_INSENSITIVE);

    /**
     * One lab host.
     *
     * @param name its inventory name
     * @param address where ssh reaches it: {@code ansible_host}, else the name
     * @param port its ssh port: {@code ansible_port}, else 22
     * @param knownHostsFile the file a {@code -o UserKnownHostsFile=} in its {@code ansible_ssh_common_args},
     *     {@code ansible_ssh_extra_args} or {@code ansible_ssh_args} names, or null
     */
    public record Host(String name, String address, int port, String knownHostsFile) {
        /** How known_hosts names it: {@code address}, or {@code [address]:port} off port 22. */
        public String knownHostsName() {
            return port == 22 ? address : "[" + address + "]:" + port;
        }
    }

    /** The inventory cannot be read, or its lab group cannot be used; the message says why and what to do. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    private InventoryHosts() {
    }

    /**
     * The lab group's hosts, as {@link AnsibleInventory#list} reads them (files only, no inventory
     * script run, within its time limit).
     *
     * @throws Unusable when the file is missing or unreadable, ansible-inventory is missing, fails or
     *     takes too long, or the group is missing, empty or has a host that cannot be used
     */
    public static List<Host> read(Path inventory) throws Unusable {
        try {
            return parse(AnsibleInventory.list(AnsibleInventory.checkFile(inventory.toString())), inventory.toString());
        } catch (AnsibleInventory.InventoryException e) {
            throw new Unusable(e.getMessage());
        }
    }

    /** The lab group's hosts in {@code json}, what {@code ansible-inventory --list} printed for {@code source}. */
    static List<Host> parse(String json, String source) throws Unusable {
        try {
            return parse(new ObjectMapper().readTree(json), source);
        } catch (JsonProcessingException e) {
            throw new Unusable("ansible-inventory printed no JSON for " + source + ": " + e.getOriginalMessage());
        }
    }

    /**
     * The lab group's hosts in {@code root}, what {@code ansible-inventory --list} printed for
     * {@code source}, parsed.
     */
    static List<Host> parse(JsonNode root, String source) throws Unusable {
        if (root == null || !root.isObject()) {
            throw new Unusable("ansible-inventory printed no JSON object for " + source);
        }
        if (!root.has(GROUP)) {
            throw new Unusable(source + " has no group '" + GROUP + "' (or Ansible could not parse it; run"
                    + " ansible-inventory -i " + source + " --graph): put the lab machines under " + GROUP
                    + ": hosts:");
        }
        final Set<String> names = new LinkedHashSet<>();
        collect(root, GROUP, names, new LinkedHashSet<>());
        if (names.isEmpty()) {
            throw new Unusable("the group '" + GROUP + "' of " + source + " has no hosts");
        }
        final JsonNode hostvars = root.path("_meta").path("hostvars");
        final List<Host> hosts = new ArrayList<>();
        for (String name : names) {
            hosts.add(host(name, hostvars.path(name)));
        }
        return hosts;
    }

    private static void collect(JsonNode root, String group, Set<String> names, Set<String> seen) {
        if (!seen.add(group)) {
            return;
        }
        final JsonNode g = root.path(group);
        for (JsonNode h : g.path("hosts")) {
            names.add(h.asText());
        }
        for (JsonNode child : g.path("children")) {
            collect(root, child.asText(), names, seen);
        }
    }

    private static Host host(String name, JsonNode vars) throws Unusable {
        final String address = text(name, vars, "ansible_host", name);
        if (!address.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|[0-9A-Fa-f:]{2,39}")) {
            throw new Unusable("host " + name + ": ansible_host '" + address + "' is not a host name or IP address"
                    + (address.contains("{{") ? " (a template, which ansible-inventory does not evaluate;"
                    + " give the address itself)" : ""));
        }
        final String portText = text(name, vars, "ansible_port", "22");
        if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
            throw new Unusable("host " + name + ": ansible_port '" + portText + "' is not a port from 1 to 65535");
        }
        String knownHosts = null;
        for (String var : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_ssh_args")) {
            final Matcher m = KNOWN_HOSTS_OPTION.matcher(text(name, vars, var, ""));
            if (knownHosts == null && m.find()) {
                knownHosts = m.group(1).replaceAll("^[\"']|[\"']$", "");
            }
        }
        return new Host(name, address, Integer.parseInt(portText), knownHosts);
    }

    private static String text(String host, JsonNode vars, String var, String fallback) throws Unusable {
        final JsonNode v = vars.get(var);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() && !v.isIntegralNumber()) {
            throw new Unusable("host " + host + ": " + var + " must be a plain value, not " + v.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT) + " (a vault-encrypted value cannot be used here)");
        }
        return v.asText();
    }
}
