package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A PipeWire machine's clock, read from {@code pw-metadata -n settings} (as PipeWire 0.3.65 prints
 * it), and the fixed commands that force another rate and quantum on its graph.
 */
class PipeWireSettingsTest {

    private static final String PRINTED = """
            Found "settings" metadata 17
            update: id:0 key:'log.level' value:'2' type:''
            update: id:0 key:'clock.rate' value:'48000' type:''
            update: id:0 key:'clock.allowed-rates' value:'[ 48000 ]' type:''
            update: id:0 key:'clock.quantum' value:'256' type:''
            update: id:0 key:'clock.min-quantum' value:'16' type:''
            update: id:0 key:'clock.max-quantum' value:'8192' type:''
            update: id:0 key:'clock.force-quantum' value:'0' type:''
            update: id:0 key:'clock.force-rate' value:'0' type:''
            """;

    @Test
    void the_graph_runs_at_its_own_rate_and_quantum_unless_the_settings_force_others() {
        final PipeWireSettings own = PipeWireSettings.parse(PRINTED);
        assertEquals(new PipeWireSettings(48_000, 256, 0, 0), own);
        assertEquals(48_000, own.effectiveRate());
        assertEquals(256, own.effectiveQuantum());
        final PipeWireSettings forced = PipeWireSettings.parse(PRINTED.replace("'clock.force-quantum' value:'0'",
                "'clock.force-quantum' value:'128'").replace("'clock.force-rate' value:'0'",
                "'clock.force-rate' value:'44100'"));
        assertEquals(44_100, forced.effectiveRate());
        assertEquals(128, forced.effectiveQuantum());
        // No daemon, or something else printed: no settings.
        assertNull(PipeWireSettings.parse(""));
        assertNull(PipeWireSettings.parse(null));
        assertNull(PipeWireSettings.parse("Found \"settings\" metadata 17\nupdate: id:0 key:'clock.rate' value:'x'"));
    }

    @Test
    void forcing_is_two_fixed_commands_and_nothing_else_passes() {
        final List<List<String>> argv = Arrays.stream(PipeWireSettings.forcing(48_000, 128)).map(RemoteCommand::argv)
                .toList();
        assertEquals(List.of(List.of("pw-metadata", "-n", "settings", "0", "clock.force-rate", "48000"),
                List.of("pw-metadata", "-n", "settings", "0", "clock.force-quantum", "128")), argv);
        assertThrows(IllegalArgumentException.class, () -> RemoteCommand.of(PipeWireSettings.FORCE, "-n", "settings",
                "0", "log.level", "5"));
        assertThrows(IllegalArgumentException.class, () -> RemoteCommand.of(PipeWireSettings.FORCE, "-n", "settings",
                "0", "clock.force-quantum", "128; reboot"));
    }

    @Test
    void a_mismatch_with_a_pipewire_peer_is_fixed_in_its_settings_not_by_a_restart() {
        final Preflight p = Preflight.compare(new Preflight.End("this machine", 48_000, 128, 16, 2, 2, "4"),
                new Preflight.End("studio-b", 48_000, 256, 16, 2, 2, "4", true));
        final String fixes = String.join("; ", p.fixes());
        assertTrue(fixes.contains("set studio-b's PipeWire graph to a quantum of 128 frames (pw-metadata -n settings 0"
                + " clock.force-quantum 128; 'make them match' does it)"), fixes);
        final Preflight jackd = Preflight.compare(new Preflight.End("this machine", 48_000, 128, 16, 2, 2, "4"),
                new Preflight.End("studio-b", 44_100, 128, 16, 2, 2, "4"));
        assertTrue(String.join("; ", jackd.fixes()).contains("restart studio-b's JACK at 48000 Hz (jackd -r 48000"),
                jackd.fixes().toString());
    }
}
