package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientNamesTest {

    @TempDir
    Path dir;

    @Test
    void sanitizes_a_name_for_jack() {
        assertEquals("a_b_c_d_", ClientNames.sanitize("a:b/c\td\u2066"));
    }

    @Test
    void a_jack_name_never_takes_a_servers_or_another_clients_socket() throws Exception {
        Files.createFile(dir.resolve("jack_default_0_0"));
        Files.createFile(dir.resolve("jack_alice_1000_0"));
        Files.createFile(dir.resolve("jack_alice-01_1000_0"));
        assertEquals("default-01", ClientNames.freeJackName("default", "hub", dir));
        assertEquals("alice-02", ClientNames.freeJackName("alice", "hub", dir));
        assertEquals("hub-01", ClientNames.freeJackName("hub", "hub", dir));
        assertEquals("bob", ClientNames.freeJackName("bob", "hub", dir));
        assertEquals("x_y", ClientNames.freeJackName("x:y", "hub", dir));
    }
}
