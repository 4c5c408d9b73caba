package org.jamwire.jack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What serves libjack, from its version string: jackd's, or PipeWire's (as pw-jack gives it). */
class AudioServerTest {

    @Test
    void pipewire_s_libjack_names_pipewire_and_its_version_and_jackd_s_its_own() {
        assertEquals("PipeWire 0.3.65", JackBackend.describeServer("3.0.0.0 (using PipeWire 0.3.65)"));
        assertEquals("jackd 1.9.21", JackBackend.describeServer("1.9.21"));
        assertEquals("jackd", JackBackend.describeServer(null));
        assertTrue(JackBackend.onPipeWire("PipeWire 1.2.7"));
        assertFalse(JackBackend.onPipeWire("jackd 1.9.21"));
        assertFalse(JackBackend.onPipeWire(null));
    }
}
