package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreflightTest {

    private static Preflight.End end(String name, int rate, int frames) {
        return new Preflight.End(name, rate, frames, 16, 2, 2, "4");
    }

    @Test
    void matching_ends_may_start() {
        final Preflight p = Preflight.compare(end("here", 48000, 128), end("studio-b", 48000, 128));
        assertTrue(p.ok(), p.rows().toString());
        assertTrue(p.fixes().isEmpty());
    }

    @Test
    void a_sample_rate_mismatch_refuses_and_names_the_fix() {
        final Preflight p = Preflight.compare(end("here", 48000, 128), end("studio-b", 44100, 128));
        assertFalse(p.ok());
        assertEquals(1, p.fixes().size());
        assertTrue(p.fixes().get(0).contains("restart studio-b's JACK at 48000 Hz"), p.fixes().get(0));
    }

    @Test
    void buffer_bits_and_channels_are_each_compared() {
        final Preflight p = Preflight.compare(new Preflight.End("here", 48000, 64, 24, 8, 2, "auto"),
                new Preflight.End("there", 48000, 128, 16, 2, 4, "4"));
        assertFalse(p.ok());
        assertEquals(3, p.fixes().size(), p.fixes().toString());
        assertTrue(p.fixes().get(0).contains("64-frame"), p.fixes().get(0));
        assertTrue(p.fixes().get(1).contains("--bitres"));
        assertTrue(p.fixes().get(2).contains("--sendchannels 4 on here"), p.fixes().get(2));
    }

    @Test
    void jack_not_running_refuses() {
        final Preflight p = Preflight.compare(end("here", 48000, 128), end("there", 0, 0));
        assertFalse(p.ok());
        assertTrue(p.fixes().get(0).contains("start JACK on there"));
    }

    @Test
    void queues_may_differ() {
        final Preflight p = Preflight.compare(new Preflight.End("a", 48000, 128, 16, 2, 2, "auto"),
                new Preflight.End("b", 48000, 128, 16, 2, 2, "8"));
        assertTrue(p.ok());
    }
}
