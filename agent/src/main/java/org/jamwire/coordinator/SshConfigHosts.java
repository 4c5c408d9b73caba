package org.jamwire.coordinator;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The hosts named in an OpenSSH client config ({@code ~/.ssh/config}), resolved as ssh would
 * (HostName, User, Port, IdentityFile, with wildcard sections applied), for adding them as peers.
 * Entries that cannot be peers (no key, odd names) are left out. Called on HTTP threads.
 */
public final class SshConfigHosts {

    /**
     * One host.
     *
     * @param name the Host alias
     * @param host where it is
     * @param port its ssh port
     * @param user the user
     * @param key the first IdentityFile that exists
     */
    public record Entry(String name, String host, int port, String user, String key) {
    }

    private SshConfigHosts() {
    }

    /** The usable hosts of {@code file}; none when it does not exist. */
    public static List<Entry> read(Path file, String defaultUser) throws IOException {
        if (!Files.isReadable(file)) {
            return List.of();
        }
        final Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file)) {
            final String t = line.trim();
            if (t.regionMatches(true, 0, "Host ", 0, 5)) {
                for (String n : t.substring(5).trim().split("\\s+")) {
                    if (n.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
                        names.add(n);
                    }
                }
            }
        }
        final OpenSSHConfig config = OpenSSHConfig.parseFile(file.toString());
        final List<Entry> entries = new ArrayList<>();
        final Path home = Path.of(System.getProperty("user.home"));
        for (String name : names) {
            final ConfigRepository.Config c = config.getConfig(name);
            final String host = c.getHostname() != null ? c.getHostname() : name;
            final String user = c.getUser() != null ? c.getUser() : defaultUser;
            final int port = c.getPort() > 0 ? c.getPort() : 22;
            String key = null;
            final String[] ids = c.getValues("IdentityFile");
            for (String id : ids == null ? new String[0] : ids) {
                final Path p = id.startsWith("~/") ? home.resolve(id.substring(2)) : Path.of(id);
                if (Files.isReadable(p)) {
                    key = p.toString();
                    break;
                }
            }
            if (key == null) {
                for (String d : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                    final Path p = home.resolve(".ssh").resolve(d);
                    if (Files.isReadable(p)) {
                        key = p.toString();
                        break;
                    }
                }
            }
            if (key != null) {
                entries.add(new Entry(name, host, port, user, key));
            }
        }
        return entries;
    }
}
