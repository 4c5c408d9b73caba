package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jamwire.testing.Program;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Importing the lab's peers from its Ansible inventory, read by the real {@code ansible-inventory}
 * from a YAML inventory and a {@code group_vars/} directory written here: through the HTTP API of a
 * started agent, and with {@code jamwire agent --lab-inventory}. A host added this way still has its
 * host key confirmed by fingerprint on its first probe, against a real sshd. Needs ansible-inventory;
 * outside CI it is skipped without.
 */
@Tag("integration")
@Tag("concurrent")
class InventoryImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void needsAnsible() {
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ansible-inventory")),
                    "ansible-inventory is not installed: run scripts/install-test-deps");
        }
    }

    /** The lab's inventory as a user writes it, with the coordinator's key and user from the group's variables. */
    private Path writeInventory(SshServer sshd) throws Exception {
        final Path lab = Files.createDirectories(dir.resolve("jamwire-lab"));
        Files.writeString(lab.resolve("inventory.yml"), """
                lab:
                  vars:
                    jamwire_coordinator_key: %s
                    jamwire_agent_user: %s
                    jamwire_agent_token: "0000000000000000000000000000000000000000000000000000000000000000"
                  hosts:
                    studio-a:
                      ansible_host: 127.0.0.1
                      ansible_port: %d
                    studio-b:
                      ansible_host: 192.0.2.11
                    templated:
                      jamwire_agent_token_file: "{{ jamwire_agent_state_dir }}/token"
                  children:
                    rooms:
                      hosts:
                        vaulted:
                          jamwire_agent_port: !vault |
                            $ANSIBLE_VAULT;1.1;AES256
                            62313365396662343061393464336163383764373764613633653634306231386433626436623361
                            6134333665353966363534333632666535333761666131620a663537646436643839616531643561
                            6564
                other:
                  hosts:
                    printer:
                """.formatted(sshd.userKey(), System.getProperty("user.name"), sshd.port()));
        Files.createDirectories(lab.resolve("group_vars"));
        Files.writeString(lab.resolve("group_vars/lab.yml"), "jack_service_server: live\n");
        return lab.resolve("inventory.yml");
    }

    private static String body(String path) throws Exception {
        return JSON.writeValueAsString(Map.of("path", path));
    }

    private static Map<String, JsonNode> byName(JsonNode hosts) {
        final Map<String, JsonNode> m = new HashMap<>();
        hosts.forEach(h -> m.put(h.get("name").asText(), h));
        return m;
    }

    @Test
    void imports_the_lab_group_through_the_api_and_the_host_key_is_still_confirmed() throws Exception {
        SshServer.assumeUsable();
        try (SshServer sshd = SshServer.start(dir.resolve("sshd"));
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent/token"),
                     "jamwire-no-jack-" + ProcessHandle.current().pid()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            final Path inventory = writeInventory(sshd);
            assertEquals(401, new AgentClient(agent.port(), null).post("/api/lab/inventory", body(inventory.toString()))
                    .status());
            assertEquals(201, api.post("/api/lab/peers", "{\"name\": \"studio-b\", \"host\": \"192.0.2.99\", \"user\":"
                    + " \"lab\", \"key\": \"" + sshd.userKey() + "\"}").status());

            final AgentClient.Response imported = api.post("/api/lab/inventory", body(inventory.toString()));
            assertEquals(200, imported.status(), imported.body());
            final JsonNode reply = imported.json();
            assertEquals(inventory.toString(), reply.get("inventory").asText());
            final List<String> names = new ArrayList<>();
            reply.get("hosts").forEach(h -> names.add(h.get("name").asText()));
            assertEquals(List.of("studio-a", "studio-b", "templated", "vaulted"), names, reply.toString());
            assertEquals(1, reply.get("added").asInt());
            assertEquals(1, reply.get("kept").asInt());
            assertEquals(2, reply.get("refused").asInt());
            final Map<String, JsonNode> hosts = byName(reply.get("hosts"));
            final JsonNode a = hosts.get("studio-a");
            assertEquals("added", a.get("outcome").asText());
            assertEquals("127.0.0.1", a.get("peer").get("host").asText());
            assertEquals(sshd.port(), a.get("peer").get("port").asInt());
            assertEquals(System.getProperty("user.name"), a.get("peer").get("user").asText());
            assertEquals(sshd.userKey().toString(), a.get("peer").get("key").asText());
            assertEquals("live", a.get("peer").get("jackServer").asText(), "group_vars/lab.yml is read");
            assertEquals("/var/lib/jamwire/token", a.get("peer").get("agentToken").asText());
            assertEquals("unchecked", a.get("peer").get("hostKey").asText());
            assertEquals("kept", hosts.get("studio-b").get("outcome").asText());
            assertEquals("192.0.2.99", hosts.get("studio-b").get("peer").get("host").asText());
            assertEquals("refused", hosts.get("templated").get("outcome").asText());
            assertEquals("jamwire_agent_token_file", hosts.get("templated").get("field").asText());
            assertTrue(hosts.get("templated").get("message").asText().contains("Jinja template"));
            assertEquals("jamwire_agent_port", hosts.get("vaulted").get("field").asText());
            assertTrue(hosts.get("vaulted").get("message").asText().contains("vault-encrypted"));
            assertFalse(imported.body().contains("0000000000000000"), "no other variable is shown: " + imported.body());
            assertFalse(imported.body().contains("printer"), "only the lab group is read");
            assertTrue(Files.readString(dir.resolve("agent/peers.json")).contains("studio-a"));

            // The peer's host key is not trusted by the import: the first probe shows its fingerprint.
            final AgentClient.Response unknown = api.post("/api/lab/peers/studio-a/probe", "");
            assertEquals(409, unknown.status(), unknown.body());
            assertEquals("unknown_host_key", unknown.json().get("error").asText());
            assertEquals(sshd.hostFingerprint(), unknown.json().get("fingerprint").asText());
            assertEquals(204, api.post("/api/lab/peers/studio-a/trust",
                    "{\"fingerprint\": \"" + sshd.hostFingerprint() + "\"}").status());
            final JsonNode listed = api.get("/api/lab/peers").json();
            assertEquals("known", listed.findParents("name").stream()
                    .filter(p -> p.get("name").asText().equals("studio-a")).findFirst().orElseThrow()
                    .get("hostKey").asText(), listed.toString());
            assertTrue(Files.readString(dir.resolve("agent/known_hosts"))
                    .startsWith("[127.0.0.1]:" + sshd.port() + " "));

            // A second import adds nothing and changes nothing.
            final JsonNode again = api.post("/api/lab/inventory", body(inventory.toString())).json();
            assertEquals(0, again.get("added").asInt(), again.toString());
            assertEquals("kept", byName(again.get("hosts")).get("studio-a").get("outcome").asText());
        }
    }

    @Test
    void names_what_is_wrong_with_a_path_or_an_inventory() throws Exception {
        try (AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent/token"),
                "jamwire-no-jack-" + ProcessHandle.current().pid()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            final AgentClient.Response missing = api.post("/api/lab/inventory",
                    body(dir.resolve("nope.yml").toString()));
            assertEquals(400, missing.status(), missing.body());
            assertEquals("path", missing.json().get("field").asText());
            assertTrue(missing.json().get("message").asText().contains("does not exist"), missing.body());
            assertTrue(api.post("/api/lab/inventory", body(dir.toString())).json().get("message").asText()
                    .contains("is a directory"));
            final AgentClient.Response unknownField = api.post("/api/lab/inventory", "{\"file\": \"x\"}");
            assertEquals(400, unknownField.status());
            assertTrue(unknownField.json().get("message").asText().contains("the fields are path"),
                    unknownField.body());

            final Path noLab = Files.writeString(dir.resolve("studios.yml"), "studios:\n  hosts:\n    a:\n");
            final AgentClient.Response none = api.post("/api/lab/inventory", body(noLab.toString()));
            assertEquals(400, none.status(), none.body());
            assertTrue(none.json().get("message").asText().contains("no group 'lab' (its groups: all, studios)"),
                    none.body());

            final Path broken = Files.writeString(dir.resolve("broken.yml"),
                    "lab:\n  hosts:\n    a: {token: \"secret-in-the-file\n");
            final AgentClient.Response bad = api.post("/api/lab/inventory", body(broken.toString()));
            assertEquals(400, bad.status(), bad.body());
            assertTrue(bad.json().get("message").asText().startsWith("ansible-inventory could not read"), bad.body());
            assertFalse(bad.body().contains("secret-in-the-file"), bad.body());
            assertEquals("[]", api.get("/api/lab/peers").body());
        }
    }

    @Test
    void the_agent_imports_at_start_and_says_what_it_added() throws Exception {
        SshServer.assumeUsable();
        try (SshServer sshd = SshServer.start(dir.resolve("sshd"))) {
            final Path inventory = writeInventory(sshd);
            final String jack = "jamwire-no-jack-" + ProcessHandle.current().pid();
            try (Program agent = Program.jamwire(jack, "agent", "--port", "0", "--token-file",
                    dir.resolve("agent/token").toString(), "--lab-inventory", inventory.toString())) {
                agent.awaitOutput("Open the web UI", Duration.ofSeconds(60));
                final String out = agent.output();
                assertTrue(out.contains("peers from " + inventory + ":"), out);
                assertTrue(out.contains("added studio-a (" + System.getProperty("user.name") + "@127.0.0.1:"
                        + sshd.port() + ", key " + sshd.userKey() + ", JACK server live)"), out);
                assertTrue(out.contains("refused templated: jamwire_agent_token_file: "), out);
                assertTrue(out.contains("confirm its host key"), out);
            }
            assertTrue(Files.readString(dir.resolve("agent/peers.json")).contains("studio-b"));
            // Without ansible-inventory the agent still starts, and says what to install.
            try (Program agent = Program.jamwire(jack, Map.of("PATH", dir.toString()), "agent", "--port", "0",
                    "--token-file", dir.resolve("agent2/token").toString(), "--lab-inventory", inventory.toString())) {
                agent.awaitOutput("Open the web UI", Duration.ofSeconds(60));
                assertTrue(agent.output().contains("the lab's peers were not imported from " + inventory
                        + ": ansible-inventory is not installed on this machine, which reads the inventory with it:"
                        + " apt install ansible"), agent.output());
            }
        }
    }
}
