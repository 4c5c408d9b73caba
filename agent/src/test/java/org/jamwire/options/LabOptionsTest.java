package org.jamwire.options;

import static org.jamwire.options.Parse.command;
import static org.jamwire.options.Parse.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jamwire lab trust INVENTORY} and its options. */
class LabOptionsTest {

    private static final String A = "SHA256:FzXgMBQAHFkZZe6xUqipzEgFua5KySJnT9ES1qGU+uk";
    private static final String B = "SHA256:BR49ZTvLDobDp3CvCMVs8EF0bWuyWQVgMCyj8ZYPkaE";

    private static Command.LabTrust trust(String line) throws UsageException {
        return assertInstanceOf(Command.LabTrust.class, command(line));
    }

    @Test
    void the_inventory_alone_leaves_every_file_to_its_default() throws UsageException {
        final Command.LabTrust t = trust("lab trust lab/inventory.yml");
        assertEquals("lab/inventory.yml", t.inventory());
        assertNull(t.knownHosts());
        assertNull(t.agentKnownHosts());
        assertEquals(List.of(), t.fingerprints());
    }

    @Test
    void options_go_before_or_after_the_inventory() throws UsageException {
        final Command.LabTrust t = trust("lab trust --known-hosts /k1 inv.yml --agent-known-hosts=/k2"
                + " --yes-if-fingerprint " + A + "," + B);
        assertEquals("inv.yml", t.inventory());
        assertEquals("/k1", t.knownHosts());
        assertEquals("/k2", t.agentKnownHosts());
        assertEquals(List.of(A, B), t.fingerprints());
    }

    @Test
    void lab_without_trust_says_what_it_does() {
        assertTrue(problem("lab").startsWith("'jamwire lab' needs what to do: jamwire lab trust INVENTORY"),
                problem("lab"));
        assertTrue(problem("lab trusst inv.yml").contains("'trusst' is not something it does"));
    }

    @Test
    void the_inventory_is_required_and_only_one() {
        assertTrue(problem("lab trust").startsWith("jamwire lab trust needs the inventory file"));
        assertTrue(problem("lab trust --known-hosts /k").startsWith("jamwire lab trust needs the inventory file"));
        assertEquals("unexpected argument 'b.yml': jamwire lab trust takes one inventory file, and 'a.yml' came first",
                problem("lab trust a.yml b.yml"));
    }

    @Test
    void a_fingerprint_not_as_ssh_keygen_prints_it_is_refused() {
        assertTrue(problem("lab trust inv.yml --yes-if-fingerprint " + A + ",MD5:12:34")
                .startsWith("--yes-if-fingerprint: '" + A + ",MD5:12:34' is not allowed: give fingerprints as"),
                problem("lab trust inv.yml --yes-if-fingerprint MD5:12"));
        assertTrue(problem("lab trust inv.yml --yes-if-fingerprint " + A.substring(0, 30)).contains("not allowed"));
    }

    @Test
    void another_commands_option_says_where_it_belongs() {
        assertTrue(problem("lab trust inv.yml --port 8464").contains("'jamwire agent'"),
                problem("lab trust inv.yml --port 8464"));
        assertTrue(problem("lab trust inv.yml -q 4").contains("a link"), problem("lab trust inv.yml -q 4"));
    }

    @Test
    void a_value_is_required() {
        assertTrue(problem("lab trust inv.yml --known-hosts").startsWith("--known-hosts: needs a value FILE"),
                problem("lab trust inv.yml --known-hosts"));
    }
}
