package org.jamwire.jack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSynchroTest {

    @TempDir
    Path dir;

    private static String line(long inode, String path) {
        return "7f3a1c2d0000-7f3a1c2d1000 rw-s 00000000 00:1a " + inode + "                    " + path;
    }

    private static long inode(Path file) throws Exception {
        return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    }

    @Test
    void a_mapping_of_the_file_as_it_is_now_counts() throws Exception {
        final Path file = Files.createFile(dir.resolve("jack_sem.0_s_c1"));
        assertTrue(ClientSynchro.mapsCurrent(file, List.of(line(12, "/lib/x.so"), line(inode(file), file.toString()))));
    }

    @Test
    void a_mapping_of_an_earlier_file_of_the_same_name_does_not() throws Exception {
        final Path file = Files.createFile(dir.resolve("jack_sem.0_s_c1"));
        final long earlier = inode(file);
        Files.delete(file);
        Files.createFile(dir.resolve("keeps-the-inode-taken"));
        Files.createFile(file);
        assertFalse(earlier == inode(file), "the file system reused the inode");
        assertFalse(ClientSynchro.mapsCurrent(file, List.of(line(earlier, file + " (deleted)"))));
        assertFalse(ClientSynchro.mapsCurrent(file, List.of(line(earlier, file.toString()))));
    }

    @Test
    void no_mapping_at_all_does_not() throws Exception {
        final Path file = Files.createFile(dir.resolve("jack_sem.0_s_c1"));
        assertFalse(ClientSynchro.mapsCurrent(file, List.of(line(inode(file), dir.resolve("jack_sem.0_s_c2").toString()))));
        assertFalse(ClientSynchro.mapsCurrent(file, List.of()));
    }

    @Test
    void without_a_futex_file_there_is_nothing_to_check() throws Exception {
        assertTrue(ClientSynchro.mapsCurrent(dir.resolve("jack_sem.0_s_c1"), List.of()));
    }

    @Test
    void names_the_file_as_jackd2_does() throws Exception {
        final Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assertEquals("jack_sem." + uid + "_lab_hub_c1", ClientSynchro.futexFileName("lab", "hub/c1"));
        assertEquals("jack_sem." + uid + "_lab_a_b", ClientSynchro.futexFileName("lab", "a\\b"));
    }
}
