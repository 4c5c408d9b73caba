package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenTest {

    @TempDir
    Path dir;

    @Test
    void a_new_token_is_256_random_bits_in_a_file_only_its_owner_can_read() throws IOException {
        final Path file = dir.resolve("sub/token");
        final Token t = Token.loadOrCreate(file);
        assertTrue(t.created());
        assertTrue(t.value().matches("[0-9a-f]{64}"), t.value());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        final Token again = Token.loadOrCreate(file);
        assertFalse(again.created());
        assertEquals(t.value(), again.value());
        assertFalse(t.value().equals(Token.loadOrCreate(dir.resolve("other")).value()));
    }

    @Test
    void a_token_file_others_can_read_is_refused_with_the_fix() throws IOException {
        final Path file = dir.resolve("token");
        Files.writeString(file, "a".repeat(64));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        final IOException e = assertThrows(IOException.class, () -> Token.loadOrCreate(file));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void a_short_or_non_hex_token_is_refused() throws IOException {
        for (String bad : new String[] {"abc", "z".repeat(64), ""}) {
            final Path file = dir.resolve("t" + bad.length() + bad.hashCode());
            Files.writeString(file, bad);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            assertThrows(IOException.class, () -> Token.loadOrCreate(file), bad);
        }
    }

    @Test
    void matches_only_the_exact_token() throws IOException {
        final Token t = Token.loadOrCreate(dir.resolve("token"));
        assertTrue(t.matches(t.value()));
        assertFalse(t.matches(null));
        assertFalse(t.matches(""));
        assertFalse(t.matches(t.value().substring(1)));
        assertFalse(t.matches(t.value() + "0"));
    }
}
