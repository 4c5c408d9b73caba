package org.jamwire.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jamwire.options.Command;
import org.jamwire.options.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path dir;

    private Command.Agent withConfig(String json, Integer port) throws Exception {
        final Path file = dir.resolve("agent.json");
        Files.writeString(file, json);
        return new Command.Agent(null, port, null, null, file.toString(), null, null, null);
    }

    @Test
    void the_file_fills_in_what_the_command_line_did_not_give() throws Exception {
        final AgentConfig.Loaded l = AgentConfig.load(withConfig(
                "{\"port\": 9000, \"listen\": \"10.0.0.2\", \"allowHosts\": [\"studio.local\"],"
                        + " \"jackServer\": \"lab\", \"feedRateHz\": 10, \"tokenFile\": \"/tmp/t\"}", null));
        assertTrue(l.configRead());
        assertEquals(9000, l.settings().port());
        assertEquals("10.0.0.2", l.settings().listenAddress());
        assertEquals(List.of("studio.local"), l.settings().allowedHosts());
        assertEquals("lab", l.settings().jackServer());
        assertEquals(10, l.settings().feedRateHz());
        assertEquals(Path.of("/tmp/t"), l.settings().tokenFile());
    }

    @Test
    void the_command_line_wins() throws Exception {
        assertEquals(1234, AgentConfig.load(withConfig("{\"port\": 9000}", 1234)).settings().port());
    }

    @Test
    void defaults_bind_loopback() throws Exception {
        final AgentConfig.Loaded l = AgentConfig.load(withConfig("{}", null));
        assertEquals("127.0.0.1", l.settings().listenAddress());
        assertEquals(8464, l.settings().port());
    }

    @Test
    void bad_files_are_refused_naming_the_key() throws Exception {
        assertTrue(message("{\"prot\": 1}").contains("unknown key 'prot'"));
        assertTrue(message("{\"port\": 70000}").contains("port: use a whole number from 0 to 65535"));
        assertTrue(message("{\"port\": \"80\"}").contains("port:"));
        assertTrue(message("{\"allowHosts\": \"a\"}").contains("allowHosts"));
        assertTrue(message("{\"listen\": \"0.0.0.0; rm -rf /\"}").contains("listen"));
        assertTrue(message("{\"port\": ").contains("not valid JSON"));
        assertTrue(message("[1]").contains("must be a JSON object"));
    }

    private String message(String json) {
        return assertThrows(UsageException.class, () -> AgentConfig.load(withConfig(json, null))).problem();
    }

    @Test
    void a_missing_config_file_that_was_asked_for_is_an_error() {
        final Command.Agent a = new Command.Agent(null, null, null, null, dir.resolve("nope.json").toString(), null,
                null, null);
        assertTrue(assertThrows(UsageException.class, () -> AgentConfig.load(a)).problem().contains("does not exist"));
    }

    @Test
    void the_lab_inventory_comes_from_the_file_or_the_command_line_and_must_be_a_file() throws Exception {
        final Path inventory = Files.writeString(dir.resolve("inventory.yml"), "lab:\n  hosts:\n");
        assertEquals(inventory, AgentConfig.load(withConfig("{\"labInventory\": \"" + inventory + "\"}", null))
                .labInventory());
        final Command.Agent cli = new Command.Agent(null, null, null, null, dir.resolve("none.json").toString(),
                null, null, dir.resolve("missing.yml").toString());
        Files.writeString(dir.resolve("none.json"), "{}");
        assertTrue(assertThrows(UsageException.class, () -> AgentConfig.load(cli)).problem()
                .startsWith("--lab-inventory: " + dir.resolve("missing.yml") + " does not exist"));
        assertTrue(assertThrows(UsageException.class, () -> AgentConfig.load(withConfig("{\"labInventory\": \""
                + dir + "\"}", null))).problem().contains("labInventory: " + dir + " is not a regular file"));
    }
}
