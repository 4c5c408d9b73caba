package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The role variables every provisioning from this agent runs with, from {@code provision.json} in
 * the agent's directory (beside its peers and known_hosts): e.g. {@code jacktrip_enabled}, or an
 * install prefix ({@code *_root}) with packages, accounts and services left alone. They are the
 * machine owner's to set, not the browser's: a request can only ask for a dry run. Read afresh for
 * each run, on an HTTP thread. Immutable.
 *
 * @param vars the variables, in the file's order
 */
public record ProvisionSettings(Map<String, Object> vars) {

    /** A role's variable; the ones the coordinator sets itself are refused below. */
    private static final Pattern ROLE_VAR = Pattern.compile(
            "(jack_realtime|jamwire_agent|jack_service|lab_network|jacktrip)_[a-z0-9_]{1,60}|ansible_python_interpreter"
                    + "|ansible_remote_tmp");
    private static final java.util.Set<String> OWN = java.util.Set.of("jamwire_agent_token",
            "jamwire_agent_token_keep", "jamwire_agent_jar_src");
    private static final String DEFAULT_STATE_DIR = "/var/lib/jamwire";

    /** Copies the map. */
    public ProvisionSettings {
        vars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    /**
     * Reads the file; none means no variables.
     *
     * @throws IOException naming the file, the key and the rule when it is not a JSON object of plain role variables
     */
    public static ProvisionSettings read(Path file) throws IOException {
        final JsonNode root;
        try {
            if (Files.size(file) > 64 * 1024) {
                throw new IOException(file + ": larger than 64 KiB");
            }
            root = new ObjectMapper().readTree(file.toFile());
        } catch (NoSuchFileException e) {
            return new ProvisionSettings(Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": must be a JSON object of role variables, e.g."
                    + " {\"jacktrip_enabled\": true}");
        }
        final Map<String, Object> vars = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            final String key = e.getKey();
            if (!ROLE_VAR.matcher(key).matches() || OWN.contains(key)) {
                throw new IOException(file + ": '" + clip(key) + "' is not a variable it may set: the roles' own"
                        + " (jack_realtime_*, jamwire_agent_*, jack_service_*, lab_network_*, jacktrip_*) but "
                        + String.join(", ", OWN.stream().sorted().toList()) + ", which the agent sets itself");
            }
            vars.put(key, plain(file, key, e.getValue(), true));
        }
        return new ProvisionSettings(vars);
    }

    /** A string, number or boolean, or a list of them; strings without Jinja, which Ansible would evaluate. */
    private static Object plain(Path file, String key, JsonNode v, boolean listAllowed) throws IOException {
        if (v.isTextual() && v.asText().length() <= 500 && !v.asText().matches("(?s).*(\\{\\{|\\{%|\\{#).*")) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isArray() && listAllowed && v.size() <= 100) {
            final java.util.List<Object> list = new java.util.ArrayList<>();
            for (JsonNode item : v) {
                list.add(plain(file, key, item, false));
            }
            return list;
        }
        throw new IOException(file + ": " + key + ": use a string (up to 500 characters, without {{ {% {#), a whole"
                + " number, true or false, or a list of those");
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** {@code jamwire_agent_root}: where the agent's files are written under, "" for the machine's own root. */
    public String agentRoot() {
        return text("jamwire_agent_root", "");
    }

    /** The token file as the peer's agent reads it: {@code jamwire_agent_token_file}, or the state directory's. */
    public String tokenFile() {
        return text("jamwire_agent_token_file", text("jamwire_agent_state_dir", DEFAULT_STATE_DIR) + "/token");
    }

    /** {@code jamwire_agent_port}, or the agent's default. */
    public int agentPort() {
        final Object v = vars.get("jamwire_agent_port");
        if (v instanceof Long n && n >= 1 && n <= 65535) {
            return n.intValue();
        }
        if (v instanceof String s && s.matches("[0-9]{1,5}") && Integer.parseInt(s) >= 1
                && Integer.parseInt(s) <= 65535) {
            return Integer.parseInt(s);
        }
        return Peer.DEFAULT_AGENT_PORT;
    }

    private String text(String key, String fallback) {
        return vars.get(key) instanceof String s ? s : fallback;
    }
}
