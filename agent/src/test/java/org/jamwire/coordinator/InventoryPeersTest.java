package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jamwire.coordinator.AnsibleInventory.Failure;
import org.jamwire.coordinator.AnsibleInventory.InventoryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the lab's peers from what {@code ansible-inventory --list} prints: group variables merged
 * into each host's, the roles' defaults where a variable is absent, and a refusal naming the
 * variable for a template, a vault-encrypted value or a value a peer cannot hold.
 */
class InventoryPeersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @BeforeEach
    void keys() throws Exception {
        Files.createDirectories(home.resolve("jamwire-lab"));
        Files.writeString(home.resolve("jamwire-lab/id_ed25519"), "a key");
        Files.writeString(home.resolve("other_key"), "another key");
    }

    /** ansible-inventory's JSON: the lab group's hosts (and a child group's), and their hostvars. */
    private static JsonNode inventory(String hostvars) throws Exception {
        return JSON.readTree("""
                {
                  "_meta": {"hostvars": %s},
                  "all": {"children": ["ungrouped", "lab", "other"]},
                  "lab": {"hosts": ["studio-a", "studio-b"], "children": ["rooms"]},
                  "rooms": {"hosts": ["rehearsal", "studio-a"]},
                  "other": {"hosts": ["printer"]}
                }""".formatted(hostvars));
    }

    private Map<String, InventoryPeers.Candidate> read(String hostvars) throws Exception {
        return InventoryPeers.read(inventory(hostvars), home.toString()).stream()
                .collect(Collectors.toMap(InventoryPeers.Candidate::host, Function.identity()));
    }

    /** Group variables as ansible-inventory prints them: copied into every host of the group. */
    private static String groupVars(String extra) {
        return "\"jamwire_coordinator_key\": \"~/jamwire-lab/id_ed25519\", \"jack_service_server\": \"live\""
                + (extra.isEmpty() ? "" : ", " + extra);
    }

    @Test
    void reads_the_lab_group_and_its_children_in_order_each_host_once_and_no_other_group() throws Exception {
        final List<InventoryPeers.Candidate> hosts = InventoryPeers.read(inventory("{}"), home.toString());
        assertEquals(List.of("studio-a", "studio-b", "rehearsal"),
                hosts.stream().map(InventoryPeers.Candidate::host).toList());
    }

    @Test
    void takes_each_field_from_its_variable_with_group_vars_merged_in() throws Exception {
        final Map<String, InventoryPeers.Candidate> hosts = read("""
                {"studio-a": {"ansible_host": "192.0.2.10", "ansible_port": 2222, %s,
                              "jamwire_agent_user": "musicbox", "jamwire_agent_port": 8500,
                              "jamwire_agent_token_file": "/srv/jamwire/token",
                              "jamwire_agent_token": "00000000000000000000000000000000"},
                 "studio-b": {"ansible_host": "192.0.2.11", "ansible_port": "2200", %s},
                 "rehearsal": {"ansible_host": "192.0.2.12", %s}}""".formatted(groupVars(""), groupVars(""),
                groupVars("")));
        final Peer a = hosts.get("studio-a").peer();
        assertEquals("studio-a", a.name());
        assertEquals("192.0.2.10", a.host());
        assertEquals(2222, a.port());
        assertEquals("musicbox", a.user());
        assertEquals(home.resolve("jamwire-lab/id_ed25519"), a.key());
        assertEquals("live", a.jackServer());
        assertEquals(8500, a.agentPort());
        assertEquals("/srv/jamwire/token", a.agentToken());
        // A port written as a string in YAML is still a port.
        assertEquals(2200, hosts.get("studio-b").peer().port());
    }

    @Test
    void uses_the_roles_defaults_where_a_variable_is_absent() throws Exception {
        final Peer p = read("""
                {"studio-a": {"ansible_ssh_private_key_file": "%s"}}""".formatted(home.resolve("other_key")))
                .get("studio-a").peer();
        assertEquals("studio-a", p.host());
        assertEquals(22, p.port());
        assertEquals("jamwire", p.user());
        assertEquals(home.resolve("other_key"), p.key());
        assertEquals("default", p.jackServer());
        assertEquals(8464, p.agentPort());
        assertEquals("/var/lib/jamwire/token", p.agentToken());
    }

    @Test
    void prefers_the_coordinator_key_to_ansibles_own_and_follows_a_moved_state_dir() throws Exception {
        final Peer p = read("""
                {"studio-a": {"ansible_ssh_private_key_file": "~/other_key", "jamwire_agent_state_dir": "/srv/jw/",
                              "jamwire_coordinator_key": "~/jamwire-lab/id_ed25519"}}""").get("studio-a").peer();
        assertEquals(home.resolve("jamwire-lab/id_ed25519"), p.key());
        assertEquals("/srv/jw/token", p.agentToken());
    }

    @Test
    void refuses_a_host_with_no_key_naming_the_variable_to_set() throws Exception {
        final InventoryPeers.Candidate c = read("{\"studio-a\": {\"ansible_host\": \"192.0.2.10\"}}").get("studio-a");
        assertNull(c.peer());
        assertEquals("jamwire_coordinator_key", c.field());
        assertTrue(c.message().contains("not set"), c.message());
    }

    @Test
    void refuses_a_value_that_is_still_a_jinja_template() throws Exception {
        final InventoryPeers.Candidate c = read("""
                {"studio-a": {%s, "jamwire_agent_token_file": "{{ jamwire_agent_state_dir }}/token"}}"""
                .formatted(groupVars(""))).get("studio-a");
        assertNull(c.peer());
        assertEquals("jamwire_agent_token_file", c.field());
        assertTrue(c.message().startsWith("jamwire_agent_token_file: '{{ jamwire_agent_state_dir }}/token' is a Jinja"
                + " template"), c.message());
        final InventoryPeers.Candidate host = read("""
                {"studio-a": {%s, "ansible_host": "{{ inventory_hostname }}.lab"}}""".formatted(groupVars("")))
                .get("studio-a");
        assertEquals("ansible_host", host.field());
    }

    @Test
    void refuses_a_vault_encrypted_value_and_says_why() throws Exception {
        final InventoryPeers.Candidate c = read("""
                {"studio-a": {%s, "jamwire_agent_user": {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\\n6231\\n"}}}"""
                .formatted(groupVars(""))).get("studio-a");
        assertNull(c.peer());
        assertEquals("jamwire_agent_user", c.field());
        assertTrue(c.message().contains("vault-encrypted"), c.message());
        assertTrue(c.message().contains("clear text"), c.message());
        // A vaulted variable the coordinator does not read (the agent's token) is no obstacle.
        assertTrue(read("""
                {"studio-a": {%s, "jamwire_agent_token": {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\\n6231\\n"}}}"""
                .formatted(groupVars(""))).get("studio-a").peer() != null);
    }

    @Test
    void refuses_values_a_peer_cannot_hold_naming_the_inventory_variable() throws Exception {
        final Map<String, InventoryPeers.Candidate> hosts = read("""
                {"studio-a": {%s, "jamwire_agent_user": "x; rm -rf /"},
                 "studio-b": {%s, "ansible_port": 70000},
                 "rehearsal": {%s, "jack_service_server": "my server"}}"""
                .formatted(groupVars(""), groupVars(""), groupVars("")));
        assertEquals("jamwire_agent_user", hosts.get("studio-a").field());
        assertTrue(hosts.get("studio-a").message().contains("is not a user name"), hosts.get("studio-a").message());
        assertEquals("ansible_port", hosts.get("studio-b").field());
        assertTrue(hosts.get("studio-b").message().contains("1 to 65535"));
        assertEquals("jack_service_server", hosts.get("rehearsal").field());

        final Map<String, InventoryPeers.Candidate> more = read("""
                {"studio-a": {"jamwire_coordinator_key": "~/missing_key"},
                 "studio-b": {"jamwire_coordinator_key": "keys/id_ed25519"},
                 "rehearsal": {%s, "jamwire_agent_port": [8464]}}""".formatted(groupVars("")));
        assertEquals("jamwire_coordinator_key", more.get("studio-a").field());
        assertTrue(more.get("studio-a").message().contains("is not a readable private key file"),
                more.get("studio-a").message());
        assertTrue(more.get("studio-b").message().contains("relative path"), more.get("studio-b").message());
        assertEquals("jamwire_agent_port", more.get("rehearsal").field());
        assertTrue(more.get("rehearsal").message().contains("not a list"), more.get("rehearsal").message());
    }

    @Test
    void refuses_a_host_name_that_cannot_name_a_peer() throws Exception {
        final JsonNode inv = JSON.readTree("""
                {"_meta": {"hostvars": {"-odd name": {}}}, "lab": {"hosts": ["-odd name"]}}""");
        final InventoryPeers.Candidate c = InventoryPeers.read(inv, home.toString()).get(0);
        assertEquals("name", c.field());
        assertTrue(c.message().contains("cannot name a peer"), c.message());
    }

    @Test
    void an_inventory_without_a_lab_group_names_the_groups_it_has() throws Exception {
        final JsonNode inv = JSON.readTree("""
                {"_meta": {"hostvars": {}}, "all": {"children": ["ungrouped", "studios"]},
                 "studios": {"hosts": ["a"]}}""");
        final InventoryException e = assertThrows(InventoryException.class, () -> InventoryPeers.read(inv, "/"));
        assertEquals(Failure.BAD_INVENTORY, e.failure());
        assertTrue(e.getMessage().contains("no group 'lab'"), e.getMessage());
        assertTrue(e.getMessage().contains("studios"), e.getMessage());
    }

    @Test
    void a_path_that_is_not_a_regular_file_is_named() throws Exception {
        final InventoryException missing = assertThrows(InventoryException.class,
                () -> AnsibleInventory.checkFile(home.resolve("nope.yml").toString()));
        assertEquals(Failure.BAD_PATH, missing.failure());
        assertTrue(missing.getMessage().contains("does not exist on the agent's machine"), missing.getMessage());
        final InventoryException dir = assertThrows(InventoryException.class,
                () -> AnsibleInventory.checkFile(home.toString()));
        assertTrue(dir.getMessage().contains("is a directory"), dir.getMessage());
        assertEquals(Failure.BAD_PATH, assertThrows(InventoryException.class,
                () -> AnsibleInventory.checkFile(" ")).failure());
        assertEquals(home.resolve("other_key"), AnsibleInventory.checkFile(home.resolve("x/../other_key").toString()));
    }

    @Test
    void only_the_home_of_this_agents_user_is_expanded() {
        assertEquals(Path.of("/home/lab/k"), AnsibleInventory.expandHome("~/k", "/home/lab"));
        assertEquals(Path.of("/etc/k"), AnsibleInventory.expandHome("/etc/k", "/home/lab"));
        assertThrows(IllegalArgumentException.class, () -> AnsibleInventory.expandHome("~bob/k", "/home/lab"));
    }
}
