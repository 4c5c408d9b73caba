package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ensemble's definition is checked field by field, and saved and read back whole. */
class EnsembleDefinitionTest {

    private static final Ensemble.Member A = new Ensemble.Member("lab-a", 2, "4");
    private static final Ensemble.Member B = new Ensemble.Member("lab-b", 8, "auto");

    @TempDir
    Path dir;

    @Test
    void a_good_definition_lists_the_hub_first_then_its_members() throws Ensemble.Invalid {
        final Ensemble e = Ensemble.checked("rehearsal-a", "lab-hub", 2, List.of(A, B));
        assertEquals(List.of("lab-hub", "lab-a", "lab-b"), e.machines());
    }

    @Test
    void each_fault_names_its_field() {
        assertField("name", () -> Ensemble.checked("", "hub", 2, List.of(A)));
        assertField("name", () -> Ensemble.checked("a b", "hub", 2, List.of(A)));
        assertField("name", () -> Ensemble.checked("x".repeat(33), "hub", 2, List.of(A)));
        assertField("hub", () -> Ensemble.checked("e", " ", 2, List.of(A)));
        assertField("patch", () -> Ensemble.checked("e", "hub", 6, List.of(A)));
        assertField("patch", () -> Ensemble.checked("e", "hub", -1, List.of(A)));
        assertField("members", () -> Ensemble.checked("e", "hub", 2, List.of()));
        assertField("members", () -> Ensemble.checked("e", "hub", 2, Collections.nCopies(Ensemble.MAX_MEMBERS + 1,
                A)));
        assertField("members[1].peer", () -> Ensemble.checked("e", "hub", 2, List.of(A, A)));
        assertField("members[0].peer", () -> Ensemble.checked("e", "hub", 2, List.of(new Ensemble.Member("hub", 2,
                "4"))));
        assertField("members[0].channels", () -> Ensemble.checked("e", "hub", 2, List.of(new Ensemble.Member("a", 0,
                "4"))));
        assertField("members[0].channels", () -> Ensemble.checked("e", "hub", 2, List.of(new Ensemble.Member("a",
                Ensemble.MAX_CHANNELS + 1, "4"))));
        for (String queue : new String[] {"0", "1001", "-1", "auto ", "4.5", ""}) {
            assertField("members[0].queue", () -> Ensemble.checked("e", "hub", 2, List.of(new Ensemble.Member("a", 2,
                    queue))));
        }
    }

    @Test
    void this_machine_can_run_the_hub_and_is_named_so_but_cannot_be_a_member() throws Exception {
        final Ensemble e = Ensemble.checked("here-band", Ensemble.HERE, 2, List.of(A, B));
        assertTrue(e.hubHere());
        assertEquals("this machine", e.hubName());
        assertEquals(List.of("here", "lab-a", "lab-b"), e.machines());
        assertField("members[1].peer", () -> Ensemble.checked("e", "lab-hub", 2, List.of(A,
                new Ensemble.Member(Ensemble.HERE, 2, "4"))));
        // No peer may take the name that stands for this machine.
        final Lab lab = new Lab(dir.resolve("peers.json"), new KnownHosts(dir.resolve("known_hosts")),
                SshSession.Timeouts.defaults());
        Files.writeString(dir.resolve("key"), "a key");
        final Peer named0 = new Peer(Ensemble.HERE, "10.0.0.9", 22, "lab", dir.resolve("key"), "default", null);
        final Lab.LabException named = assertThrows(Lab.LabException.class, () -> lab.add(named0));
        assertEquals("name", named.field());
        // The hub's row is this machine's; a member at another period is told to match it.
        final PeerReport here = report(48_000, 128);
        final EnsemblePreflight p = EnsemblePreflight.of(e, Map.of("here", here, "lab-a", report(48_000, 256)));
        assertEquals(List.of("here", "lab-a"), p.machines().stream().map(EnsemblePreflight.Machine::peer).toList());
        assertEquals(List.of(), p.machines().get(0).fixes());
        assertTrue(p.machines().get(1).jackMismatch(), p.toString());
        assertEquals(List.of(16, 16), p.machines().stream().map(EnsemblePreflight.Machine::bitDepth).toList());
        assertEquals(java.util.Arrays.asList(null, 2), p.machines().stream().map(EnsemblePreflight.Machine::channels)
                .toList());
        assertTrue(String.join(" ", p.fixes()).contains("this machine"), p.fixes().toString());
        // The address a member reaches this machine at is the one the route to it leaves from.
        assertEquals("127.0.0.1", ThisMachine.addressToward("127.0.0.1"));
        assertThrows(IOException.class, () -> ThisMachine.addressToward("no-such-host.invalid"));
    }

    private static PeerReport report(int rate, int period) {
        return new PeerReport("Linux", "default", true, rate, period, 2, 0, "1.0", null, true, List.of(4464),
                List.of());
    }

    @Test
    void the_file_keeps_the_definitions_in_order_readable_by_its_owner_only() throws Exception {
        final EnsembleFile file = new EnsembleFile(dir.resolve("ensembles.json"));
        assertEquals(Map.of(), file.load());
        final List<Ensemble> all = new ArrayList<>(List.of(Ensemble.checked("one", "lab-hub", 4, List.of(A, B)),
                Ensemble.checked("two", "lab-b", 0, List.of(A))));
        file.save(all);
        assertEquals(all, List.copyOf(file.load().values()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("ensembles.json"))));
    }

    @Test
    void a_file_that_holds_no_valid_ensembles_is_refused_naming_it() throws IOException {
        final Path path = dir.resolve("ensembles.json");
        Files.writeString(path, "{}");
        final IOException notList = assertThrows(IOException.class, () -> new EnsembleFile(path).load());
        assertTrue(notList.getMessage().startsWith(path + ": must be a JSON list"), notList.getMessage());
        Files.writeString(path, "[{\"name\": \"x\", \"hub\": \"h\", \"patch\": 9, \"members\": []}]");
        final IOException bad = assertThrows(IOException.class, () -> new EnsembleFile(path).load());
        assertTrue(bad.getMessage().startsWith(path + ": ensemble 'x': patch:"), bad.getMessage());
    }

    private static void assertField(String field, Checked definition) {
        final Ensemble.Invalid e = assertThrows(Ensemble.Invalid.class, definition::run);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }

    @FunctionalInterface
    private interface Checked {
        void run() throws Ensemble.Invalid;
    }
}
