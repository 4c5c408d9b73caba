package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where OpenSSH keeps a host's keys and under which name, from what {@code ssh -G} prints. */
class OpenSshKnownHostsTest {

    @Test
    void a_port_other_than_22_is_part_of_the_name_and_the_files_are_sshs() {
        final OpenSshKnownHosts seen = OpenSshKnownHosts.parse("""
                hostname studio-a.lab
                port 2222
                hashknownhosts yes
                globalknownhostsfile /etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2
                userknownhostsfile /home/u/.ssh/known_hosts /home/u/.ssh/known_hosts2
                """, "Studio-A.lab", 2222);
        assertEquals("[studio-a.lab]:2222", seen.name());
        assertEquals(Path.of("/home/u/.ssh/known_hosts"), seen.recordIn());
        assertEquals(List.of(Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2")),
                seen.globalFiles());
        assertEquals(true, seen.hashNames());
    }

    @Test
    void port_22_leaves_the_bare_name_and_an_alias_replaces_it() {
        assertEquals("192.0.2.10", OpenSshKnownHosts.parse("hostname 192.0.2.10\nport 22\n", "192.0.2.10", 22).name());
        assertEquals("studio", OpenSshKnownHosts.parse("hostname 192.0.2.10\nport 2222\nhostkeyalias Studio\n",
                "192.0.2.10", 2222).name());
    }

    @Test
    void none_names_no_file_and_ssh_defaults_fill_in() {
        final OpenSshKnownHosts seen = OpenSshKnownHosts.parse("hostname h\nport 22\nuserknownhostsfile none\n"
                + "hashknownhosts no\n", "h", 22);
        assertEquals(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"), seen.recordIn());
        assertEquals(false, seen.hashNames());
    }
}
