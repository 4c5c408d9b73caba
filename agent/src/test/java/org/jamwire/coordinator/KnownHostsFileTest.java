package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** known_hosts files read as OpenSSH reads them, and appended to without touching what is there. */
class KnownHostsFileTest {

    private static final SshHostKey ED25519 = SshHostKey.parse("ssh-ed25519", SshHostKeyTest.ED25519);
    private static final SshHostKey ECDSA = SshHostKey.parse("ecdsa-sha2-nistp256", SshHostKeyTest.ECDSA_256);
    private static final SshHostKey RSA = SshHostKey.parse("ssh-rsa", SshHostKeyTest.RSA_1024);
    /** {@code studio-a} and {@code [192.0.2.10]:2222} with the ed25519 key, as {@code ssh-keygen -H} hashed them. */
    private static final String HASHED = "|1|ML12SV4RC+qGNqcLU+hGP4SCIqg=|klueRvwCCS1kKeRaHxx6OTFd6Bw= ssh-ed25519 "
            + SshHostKeyTest.ED25519 + "\n|1|d9pZ8rE/GD1wPRFpx9RxrGr82kg=|vFSAvREEXaVNOW7PbHJ6GSzvAbU= ssh-ed25519 "
            + SshHostKeyTest.ED25519 + "\n";

    @TempDir
    Path dir;

    private KnownHostsFile file(String text) throws Exception {
        final Path f = dir.resolve("known_hosts");
        Files.writeString(f, text, StandardCharsets.US_ASCII);
        return KnownHostsFile.read(f);
    }

    @Test
    void a_missing_file_holds_nothing() throws Exception {
        assertEquals(List.of(), KnownHostsFile.read(dir.resolve("nothing")).keysFor("studio-a"));
    }

    @Test
    void hashed_names_are_found_as_ssh_finds_them() throws Exception {
        final KnownHostsFile f = file(HASHED);
        assertEquals(List.of(ED25519), f.keysFor("studio-a"));
        assertEquals(List.of(ED25519), f.keysFor("Studio-A"));
        assertEquals(List.of(ED25519), f.keysFor("[192.0.2.10]:2222"));
        assertEquals(List.of(), f.keysFor("192.0.2.10"));
        assertEquals(List.of(), f.keysFor("studio-b"));
    }

    @Test
    void a_port_is_part_of_the_name() throws Exception {
        final KnownHostsFile f = file("[192.0.2.10]:2222 ssh-ed25519 " + SshHostKeyTest.ED25519 + "\n"
                + "192.0.2.10 ecdsa-sha2-nistp256 " + SshHostKeyTest.ECDSA_256 + "\n");
        assertEquals(List.of(ED25519), f.keysFor("[192.0.2.10]:2222"));
        assertEquals(List.of(ECDSA), f.keysFor("192.0.2.10"));
        assertEquals(List.of(), f.keysFor("[192.0.2.10]:2223"));
    }

    @Test
    void lists_wildcards_and_negations_match_as_in_ssh() throws Exception {
        final KnownHostsFile f = file("studio-a,192.0.2.10 ssh-ed25519 " + SshHostKeyTest.ED25519 + "\n"
                + "*.lab,!secret.lab ssh-rsa " + SshHostKeyTest.RSA_1024 + " a comment\n"
                + "192.0.2.1? ecdsa-sha2-nistp256 " + SshHostKeyTest.ECDSA_256 + "\n");
        assertEquals(List.of(ED25519, ECDSA), f.keysFor("192.0.2.10"));
        assertEquals(List.of(RSA), f.keysFor("room.lab"));
        assertEquals(List.of(), f.keysFor("secret.lab"));
        assertEquals(List.of(), f.keysFor("192.0.2.100"));
    }

    @Test
    void comments_markers_and_broken_lines_are_passed_over() throws Exception {
        final KnownHostsFile f = file("# a comment\n\n   \nstudio-a ssh-ed25519\nstudio-a ssh-ed25519 AAAA!\n"
                + "@cert-authority *.lab ssh-rsa " + SshHostKeyTest.RSA_1024 + "\n"
                + "@revoked * ecdsa-sha2-nistp256 " + SshHostKeyTest.ECDSA_256 + "\n"
                + "studio-a ssh-ed25519 " + SshHostKeyTest.ED25519);
        assertEquals(List.of(ED25519), f.keysFor("studio-a"));
        assertEquals(List.of(), f.keysFor("x.lab"));
        assertTrue(f.revokes(ECDSA));
        assertFalse(f.revokes(ED25519));
    }

    @Test
    void a_new_file_is_its_owners_only_in_a_directory_only_its_owner_enters() throws Exception {
        final Path f = dir.resolve("home/.ssh/known_hosts");
        KnownHostsFile.append(f, "[192.0.2.10]:2222", ED25519, false);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent())));
        assertEquals("[192.0.2.10]:2222 ssh-ed25519 " + SshHostKeyTest.ED25519 + "\n", Files.readString(f));
    }

    @Test
    void appending_keeps_what_is_there_and_closes_an_open_last_line() throws Exception {
        final Path f = dir.resolve("known_hosts");
        Files.writeString(f, "# mine\nother ssh-rsa " + SshHostKeyTest.RSA_1024);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        KnownHostsFile.append(f, "studio-a", ECDSA, false);
        assertEquals("# mine\nother ssh-rsa " + SshHostKeyTest.RSA_1024 + "\nstudio-a ecdsa-sha2-nistp256 "
                + SshHostKeyTest.ECDSA_256 + "\n", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        final KnownHostsFile read = KnownHostsFile.read(f);
        assertEquals(List.of(ECDSA), read.keysFor("studio-a"));
        assertEquals(List.of(RSA), read.keysFor("other"));
    }

    @Test
    void a_hashed_name_is_found_again_and_does_not_show_the_host() throws Exception {
        final Path f = dir.resolve("known_hosts");
        KnownHostsFile.append(f, "[studio-a]:2222", ED25519, true);
        final String text = Files.readString(f);
        assertTrue(text.startsWith("|1|") && !text.contains("studio-a"), text);
        assertEquals(List.of(ED25519), KnownHostsFile.read(f).keysFor("[studio-a]:2222"));
        assertEquals(List.of(), KnownHostsFile.read(f).keysFor("studio-a"));
    }
}
