package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientNamesTest {

    @TempDir
    Path dir;

    @Test
    void names_the_first_control_or_format_character_and_where_it_is() {
        assertNull(ClientNames.problem("Studio B — Bösendorfer"));
        assertEquals("it holds a control character (U+001B) at character 5; use printable characters only",
                ClientNames.problem("evil\u001b[31m"));
        assertEquals("it holds an invisible format character (U+202E) at character 3; use printable characters only",
                ClientNames.problem("ab\u202ecba"));
        assertEquals("it holds a control character (U+000A) at character 2; use printable characters only",
                ClientNames.problem("a\nb"));
    }

    @Test
    void escapes_what_could_forge_a_line_or_turn_text_around_and_keeps_the_rest() {
        assertEquals("a\\u{1B}[2J\\u{D}\\u{A}b\\u{7}\\u{202E} é \\\\", ClientNames.escape("a\u001b[2J\r\nb\u0007\u202e é \\"));
        assertNull(ClientNames.escape(null));
    }

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
