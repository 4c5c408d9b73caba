package org.jamwire.coordinator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where OpenSSH's client, as {@code ansible-playbook} starts it, looks a host's keys up and records
 * them, and under which name: what {@code ssh -G} resolves from the user's and the system's ssh
 * config (UserKnownHostsFile, GlobalKnownHostsFile, HashKnownHosts, HostName, Port, HostKeyAlias),
 * with the inventory's {@code -o UserKnownHostsFile=} for that host applied as Ansible would pass it.
 * Without {@code ssh}, OpenSSH's defaults. Called on the main thread of {@code jamwire lab trust}.
 *
 * @param name the host as ssh's known_hosts names it: {@code host}, or {@code [host]:port} off port 22
 * @param userFiles the user's files; the first is where a key is recorded
 * @param globalFiles the system's files, read only
 * @param hashNames whether ssh writes names hashed ({@code HashKnownHosts yes}, Debian's default)
 */
public record OpenSshKnownHosts(String name, List<Path> userFiles, List<Path> globalFiles, boolean hashNames) {

    private static final long SSH_G_SECONDS = 10;

    /** Copies the lists; there is at least one user file. */
    public OpenSshKnownHosts {
        userFiles = List.copyOf(userFiles);
        globalFiles = List.copyOf(globalFiles);
        if (userFiles.isEmpty()) {
            throw new IllegalArgumentException("no user known_hosts file");
        }
    }

    /** The file a key is recorded in. */
    public Path recordIn() {
        return userFiles.get(0);
    }

    /**
     * How ssh sees {@code address}:{@code port}.
     *
     * @param inventoryFile the UserKnownHostsFile the inventory gives the host, or null
     * @param override the file to record in instead of ssh's own ({@code --known-hosts}), or null
     */
    public static OpenSshKnownHosts of(String address, int port, String inventoryFile, Path override)
            throws InterruptedException {
        final List<String> argv = new ArrayList<>(List.of("ssh", "-G", "-p", Integer.toString(port)));
        if (inventoryFile != null) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + inventoryFile));
        }
        argv.addAll(List.of("--", address));
        String config = null;
        try {
            final Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            final byte[] out = p.getInputStream().readNBytes(256 * 1024);
            if (p.waitFor(SSH_G_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0) {
                config = new String(out, StandardCharsets.UTF_8);
            }
            p.destroyForcibly();
        } catch (IOException e) {
            config = null; // no ssh here: OpenSSH's defaults below
        }
        final OpenSshKnownHosts seen = config == null ? defaults(address, port, inventoryFile)
                : parse(config, address, port);
        return override == null ? seen : new OpenSshKnownHosts(seen.name, List.of(override), seen.globalFiles,
                seen.hashNames);
    }

    /** What {@code ssh -G} printed, read. */
    static OpenSshKnownHosts parse(String config, String address, int port) {
        String hostname = address.toLowerCase(Locale.ROOT);
        int realPort = port;
        String alias = null;
        List<Path> user = List.of();
        List<Path> global = List.of();
        boolean hash = false;
        for (String line : config.split("\n")) {
            final int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            final String key = line.substring(0, space);
            final String value = line.substring(space + 1).strip();
            switch (key) {
                case "hostname" -> hostname = value.toLowerCase(Locale.ROOT);
                case "port" -> realPort = value.matches("[0-9]{1,5}") ? Integer.parseInt(value) : port;
                case "hostkeyalias" -> alias = value.toLowerCase(Locale.ROOT);
                case "userknownhostsfile" -> user = paths(value);
                case "globalknownhostsfile" -> global = paths(value);
                case "hashknownhosts" -> hash = value.equals("yes");
                default -> {
                    // Nothing else bears on host keys.
                }
            }
        }
        final String name = alias != null ? alias : realPort == 22 ? hostname : "[" + hostname + "]:" + realPort;
        return new OpenSshKnownHosts(name, user.isEmpty() ? defaultUserFiles() : user, global, hash);
    }

    private static OpenSshKnownHosts defaults(String address, int port, String inventoryFile) {
        final String host = address.toLowerCase(Locale.ROOT);
        final List<Path> user = inventoryFile == null ? defaultUserFiles()
                : List.of(Path.of(inventoryFile.replaceFirst("^~(?=/|$)", System.getProperty("user.home"))));
        return new OpenSshKnownHosts(port == 22 ? host : "[" + host + "]:" + port, user,
                List.of(Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2")), false);
    }

    private static List<Path> defaultUserFiles() {
        final Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        return List.of(ssh.resolve("known_hosts"), ssh.resolve("known_hosts2"));
    }

    private static List<Path> paths(String value) {
        final List<Path> out = new ArrayList<>();
        for (String p : value.split(" ")) {
            if (!p.isEmpty() && !p.equals("none")) {
                out.add(Path.of(p));
            }
        }
        return out;
    }

    /** The keys ssh holds for the host, in every file it reads. */
    public List<SshHostKey> keys() throws IOException {
        final List<SshHostKey> out = new ArrayList<>();
        for (Path file : all()) {
            out.addAll(KnownHostsFile.read(file).keysFor(name));
        }
        return out;
    }

    /** Whether any file ssh reads revokes {@code key}. */
    public boolean revokes(SshHostKey key) throws IOException {
        for (Path file : all()) {
            if (KnownHostsFile.read(file).revokes(key)) {
                return true;
            }
        }
        return false;
    }

    private List<Path> all() {
        final List<Path> files = new ArrayList<>(userFiles);
        files.addAll(globalFiles);
        return files;
    }
}
