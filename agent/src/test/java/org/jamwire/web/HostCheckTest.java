package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostCheckTest {

    private final HostCheck check = new HostCheck("127.0.0.1", List.of("studio.example", "fd00::1"), 8464);

    @Test
    void accepts_loopback_names_and_allowed_hosts_with_this_port_or_none() {
        for (String h : List.of("127.0.0.1", "127.0.0.1:8464", "localhost:8464", "LOCALHOST", "[::1]:8464",
                "studio.example:8464", "[fd00::1]:8464")) {
            assertTrue(check.hostAllowed(h), h);
        }
    }

    @Test
    void refuses_other_names_ports_and_rebinding_tricks() {
        for (String h : List.of("evil.example", "127.0.0.1:8465", "localhost.evil.example", "studio.example.evil",
                "", "127.0.0.1:", "[::1]:1")) {
            assertFalse(check.hostAllowed(h), h);
        }
        assertFalse(check.hostAllowed(null));
    }

    @Test
    void accepts_only_origins_of_pages_this_agent_serves() {
        assertTrue(check.originAllowed("http://127.0.0.1:8464"));
        assertTrue(check.originAllowed("http://localhost:8464"));
        for (String o : List.of("https://127.0.0.1:8464", "http://evil.example:8464", "http://127.0.0.1:9999",
                "null", "file://", "http://127.0.0.1")) {
            assertFalse(check.originAllowed(o), o);
        }
    }
}
