package org.jamwire.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH sshd for tests, with keys made for it: host keys of the three kinds a Debian sshd has
 * (ed25519, ECDSA and RSA, so a client's choice among them shows), a user key pair whose public
 * half it accepts for the current user, on a free port of an address it is told (127.0.0.1, or a
 * lab host's address when started inside a network namespace). Needs root, as sshd does; outside
 * CI a test using it is skipped with a message. Test thread.
 */
public final class SshServer implements AutoCloseable {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    /** The host keys it has, as ssh-keygen -t names their kinds. */
    public static final List<String> HOST_KEY_KINDS = List.of("ed25519", "ecdsa", "rsa");

    private final Path dir;
    private final String address;
    private final int port;
    private final Process process;

    private SshServer(Path dir, String address, int port, Process process) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.process = process;
    }

    /** Skips the calling test unless this is root with sshd installed, or CI (where it must work). */
    public static void assumeUsable() {
        final boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(root, "needs root to run sshd; CI runs it as root");
            Assumptions.assumeTrue(Files.isExecutable(SSHD), "needs openssh-server: run scripts/install-test-deps");
        }
    }

    /** Makes keys in {@code dir} and starts sshd on 127.0.0.1. */
    public static SshServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, "127.0.0.1", List.of());
    }

    /**
     * Makes keys in {@code dir} and starts sshd on {@code address}, its command line prefixed by
     * {@code prefix} (e.g. {@code ip netns exec HOST}).
     */
    public static SshServer start(Path dir, String address, List<String> prefix) throws IOException, InterruptedException {
        return start(dir, address, prefix, List.of());
    }

    /**
     * sshd_config lines that put this build's {@code jamwire} launcher on the PATH of ssh sessions,
     * through a link in {@code bin}, which is made here.
     */
    public static List<String> jamwireOnPath(Path bin) throws IOException {
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("jamwire"), Path.of(System.getProperty("jamwire.launcher"))
                .toAbsolutePath());
        return List.of("SetEnv PATH=" + bin + ":/usr/local/bin:/usr/bin:/bin");
    }

    /** The same, with more sshd_config lines (e.g. {@code SetEnv PATH=...}). */
    public static SshServer start(Path dir, String address, List<String> prefix, List<String> extraConfig)
            throws IOException, InterruptedException {
        assumeUsable();
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd"));
        for (String kind : HOST_KEY_KINDS) {
            keygen(dir.resolve("host_" + kind), kind);
        }
        keygen(dir.resolve("user_ed25519"), "ed25519");
        final Path authorized = dir.resolve("authorized_keys");
        Files.copy(dir.resolve("user_ed25519.pub"), authorized, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        final int port = freePort();
        // sshd takes only the first SetEnv line: every variable goes on one. Sessions get a home of
        // the test's own, as a lab host's user would have, so that this machine's root's shell
        // start-up files (which may set up tools of its own, at a cost on every ssh command) are not run.
        final List<String> config0 = new ArrayList<>();
        final List<String> env = new ArrayList<>();
        for (String line : extraConfig) {
            if (line.startsWith("SetEnv ")) {
                env.addAll(List.of(line.substring("SetEnv ".length()).trim().split("\\s+")));
            } else {
                config0.add(line);
            }
        }
        if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
            env.add("HOME=" + Files.createDirectories(dir.resolve("home")));
        }
        config0.add("SetEnv " + String.join(" ", env));
        final Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + dir.resolve("host_ed25519"),
                "HostKey " + dir.resolve("host_ecdsa"),
                "HostKey " + dir.resolve("host_rsa"),
                "AuthorizedKeysFile " + authorized,
                "PidFile " + dir.resolve("sshd.pid"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "AllowAgentForwarding no",
                "AllowTcpForwarding local",
                "X11Forwarding no",
                "LogLevel ERROR",
                String.join("\n", config0),
                ""));
        final List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(SSHD.toString(), "-D", "-e", "-f", config.toString()));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile()).start();
        final SshServer server = new SshServer(dir, address, port, p);
        server.awaitListening(prefix);
        return server;
    }

    private void awaitListening(List<String> prefix) throws IOException, InterruptedException {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            if (prefix.isEmpty() ? canConnect() : listeningIn(prefix)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("sshd did not listen on " + address + ":" + port + " within 10 s");
    }

    private boolean canConnect() {
        try (Socket s = new Socket(address, port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean listeningIn(List<String> prefix) throws IOException, InterruptedException {
        final List<String> c = new ArrayList<>(prefix);
        c.addAll(List.of("ss", "-Htln", "sport = :" + port));
        final Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.contains(":" + port);
    }

    /** Makes a key pair of {@code kind} (ed25519, ecdsa or rsa) at {@code key} and {@code key.pub}. */
    public static void keygen(Path key, String kind) throws IOException, InterruptedException {
        Files.deleteIfExists(key);
        Files.deleteIfExists(Path.of(key + ".pub"));
        final Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "jamwire-test",
                "-f", key.toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + out);
        }
    }

    /** A port nobody listens on now. */
    public static int freePort() throws IOException {
        return FreePorts.tcp();
    }

    /** The address sshd listens on. */
    public String address() {
        return address;
    }

    /** Its port. */
    public int port() {
        return port;
    }

    /** The private key sshd accepts for the current user. */
    public Path userKey() {
        return dir.resolve("user_ed25519");
    }

    /** Its ed25519 host public key file, the key ssh meets first on a host it does not know. */
    public Path hostPublicKey() {
        return hostPublicKey("ed25519");
    }

    /** Its host public key file of {@code kind}: ed25519, ecdsa or rsa. */
    public Path hostPublicKey(String kind) {
        return dir.resolve("host_" + kind + ".pub");
    }

    /** The ed25519 host key's fingerprint as {@code ssh-keygen -lf} prints it, e.g. {@code SHA256:...}. */
    public String hostFingerprint() throws IOException, InterruptedException {
        return hostKeyLine("ed25519").split(" ")[1];
    }

    /**
     * What {@code ssh-keygen -lf} prints for the host key of {@code kind}, e.g. {@code 256 SHA256:...
     * jamwire-test (ED25519)}.
     */
    public String hostKeyLine(String kind) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", hostPublicKey(kind).toString())
                .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.strip();
    }

    /** A known_hosts line for this server's ed25519 key under {@code name}. */
    public String knownHostsLine(String name) throws IOException {
        return knownHostsLine(name, "ed25519");
    }

    /** A known_hosts line for this server's key of {@code kind} under {@code name}. */
    public String knownHostsLine(String name, String kind) throws IOException {
        final String[] pub = Files.readString(hostPublicKey(kind)).trim().split(" ");
        return name + " " + pub[0] + " " + pub[1] + "\n";
    }

    /** sshd's log, for failure messages. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    /**
     * Cuts every ssh connection to this server, as a network that drops them would: kills the
     * processes sshd runs for its connections (and what they run), and leaves sshd listening.
     *
     * @return how many connections there were
     */
    public int dropSessions() {
        final List<ProcessHandle> sessions = process.toHandle().children().toList();
        for (ProcessHandle session : sessions) {
            session.descendants().forEach(ProcessHandle::destroyForcibly);
            session.destroyForcibly();
        }
        return sessions.size();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A TCP server that accepts connections and never says a word, as a hung sshd would: a small
     * program on a lab host, listening on its address.
     */
    public static final class Silent implements AutoCloseable {
        private static final String LISTEN = "import socket, sys, time\n"
                + "s = socket.socket()\n"
                + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind((sys.argv[1], int(sys.argv[2])))\n"
                + "s.listen(50)\n"
                + "print('listening', flush=True)\n"
                + "held = []\n"
                + "while True:\n"
                + "    held.append(s.accept())\n";
        private final Process process;
        private final int port;

        /** Listens on {@code address}:{@code port}, run with {@code prefix} (e.g. {@code ip netns exec NS}). */
        public Silent(List<String> prefix, String address, int port) throws IOException {
            final List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of("python3", "-c", LISTEN, address, String.valueOf(port)));
            this.process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            this.port = port;
            final byte[] line = new byte[10];
            if (process.getInputStream().readNBytes(line, 0, line.length) < 9) {
                process.destroyForcibly();
                throw new IOException("the silent listener did not start: " + String.join(" ", cmd));
            }
        }

        public int port() {
            return port;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** How long a wait should take at most in these tests. */
    public static final Duration WAIT = Duration.ofSeconds(10);
}
