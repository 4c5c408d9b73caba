package org.jamwire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lab machines, each as a real one looks to what runs on it: a {@link LabHosts} network namespace,
 * plus mount, IPC, UTS and PID namespaces of its own. Its {@code /etc}, {@code /opt},
 * {@code /var/lib}, {@code /home} and {@code /root} are copy-on-write views of this machine's
 * (overlays whose changes stay with the machine), {@code /run}, {@code /dev/shm} and {@code /tmp}
 * are empty, its host name is its own, and it sees only its own processes. So accounts, files,
 * JACK servers (shared memory and semaphores) and services made on one machine exist on that one
 * only, and vanish with it. {@code /usr} is shared: packages come from this machine's
 * installation. Where systemd cannot run as init, {@code systemctl} is the test's
 * {@code systemctl-standin}, which runs each unit's {@code ExecStart} as the unit says. Needs root,
 * as {@link LabHosts} does. Test thread.
 */
public final class LabMachines implements AutoCloseable {

    /** The directories that each machine has a copy-on-write view of. */
    public static final List<String> PRIVATE_COPIES = List.of("/etc", "/opt", "/var/lib", "/home", "/root");
    /** The directories that each machine has empty. */
    public static final List<String> PRIVATE_EMPTY = List.of("/run", "/dev/shm", "/tmp");

    /** One machine. */
    public static final class Machine {
        private final String name;
        private final String address;
        private final LabHosts.Host host;
        private final Process holder;
        private final long pid;
        private final Path changes;

        private Machine(String name, String address, LabHosts.Host host, Process holder, long pid, Path changes) {
            this.name = name;
            this.address = address;
            this.host = host;
            this.holder = holder;
            this.pid = pid;
            this.changes = changes;
        }

        /** Its host name. */
        public String name() {
            return name;
        }

        /** Its address on the lab network. */
        public String address() {
            return address;
        }

        /** {@code command} prefixed to run on the machine, as root. */
        public List<String> on(List<String> command) {
            final List<String> c = new ArrayList<>(host == null
                    ? List.of("nsenter", "-t", Long.toString(pid), "-m", "--")
                    : List.of("nsenter", "-t", Long.toString(pid), "-m", "-i", "-u", "-n", "-p", "--"));
            c.addAll(command);
            return c;
        }

        /** {@code command} prefixed to run on the machine as {@code user}, with that user's groups. */
        public List<String> as(String user, List<String> command) {
            final List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user,
                    "--init-groups", "--reset-env", "--"));
            c.addAll(command);
            return on(c);
        }

        /** Runs {@code command} on the machine as root: its exit status and output, within 60 s. */
        public Result run(List<String> command) throws IOException, InterruptedException {
            return exec(on(command), 60);
        }

        /** Runs {@code command} on the machine as {@code user}: its exit status and output, within 60 s. */
        public Result runAs(String user, List<String> command) throws IOException, InterruptedException {
            return exec(as(user, command), 60);
        }

        /**
         * A file as the machine sees it, read through its root (for a file in {@code /run},
         * {@code /tmp} or a private copy).
         */
        public Path file(String path) {
            return Path.of("/proc/" + pid + "/root" + path);
        }

        /** Whether the machine still runs (its pid 1 does). */
        public boolean alive() {
            return ProcessHandle.of(pid).isPresent();
        }

        /** What its pid 1 printed, and how it ended, for a test's failure message. */
        public String describe() {
            String log;
            try {
                log = Files.readString(changes.resolve("init.log"));
            } catch (IOException e) {
                log = e.toString();
            }
            return name + (alive() ? " runs" : " ended" + (holder.isAlive() ? "" : " with status "
                    + holder.exitValue())) + "; its pid 1 (" + pid + ") said: " + log;
        }

        /** Where the changes to its private copies are kept on this machine, e.g. for a token search. */
        public Path changes() {
            return changes;
        }
    }

    private final LabHosts network;
    private final Path root;
    private final List<Machine> machines = new ArrayList<>();

    private LabMachines(LabHosts network, Path root) {
        this.network = network;
        this.root = root;
    }

    /**
     * Makes one machine per name on one lab network; the changes to their files are kept under
     * {@code dir}, which must not be on an overlay (a tmpfs is made on it).
     */
    public static LabMachines create(Path dir, String... names) throws IOException, InterruptedException {
        final LabHosts network = LabHosts.create(names.length);
        final LabMachines m = new LabMachines(network, dir);
        try {
            Files.createDirectories(dir);
            check(exec(List.of("mount", "-t", "tmpfs", "-o", "mode=0700", "jamwire-lab", dir.toString()), 10),
                    "mount a tmpfs for the machines' files");
            for (int i = 0; i < names.length; i++) {
                m.machines.add(m.start(names[i], network.host(i)));
            }
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private Machine start(String name, LabHosts.Host host) throws IOException, InterruptedException {
        final Path changes = root.resolve(name);
        final StringBuilder script = new StringBuilder("set -e\n");
        for (String d : PRIVATE_COPIES) {
            final Path up = changes.resolve(d.substring(1).replace('/', '-'));
            Files.createDirectories(up.resolve("upper"));
            Files.createDirectories(up.resolve("work"));
            script.append("mount -t overlay overlay -o lowerdir=").append(d).append(",upperdir=")
                    .append(up.resolve("upper")).append(",workdir=").append(up.resolve("work")).append(' ')
                    .append(d).append('\n');
        }
        // The stand-in first: it may lie under /tmp, which is emptied next.
        script.append("mount --bind ").append(standin()).append(" /usr/bin/systemctl\n")
                .append("mount -t tmpfs -o mode=0755 run /run\n")
                .append("mount -t tmpfs -o mode=1777 shm /dev/shm\n")
                .append("mount -t tmpfs -o mode=1777 tmp /tmp\n")
                .append("mkdir -p /run/sshd /run/lock\n")
                .append("hostname ").append(name).append('\n')
                .append("echo ready\n")
                // pid 1 of the machine: reaps what is left to it, and takes everything with it.
                .append("trap 'exit 0' TERM\nwhile :; do sleep 3600 & wait $! || true; done\n");
        final List<String> command = new ArrayList<>(host.on(List.of("unshare", "--mount", "--ipc", "--uts",
                "--pid", "--fork", "--mount-proc", "--propagation", "private", "sh", "-c", script.toString())));
        final Path log = changes.resolve("init.log");
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestJvm.atExit(p::destroyForcibly);
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(log).contains("ready")) {
            if (!p.isAlive() || System.nanoTime() - end > 0) {
                throw new IOException("lab machine " + name + " did not start: " + Files.readString(log));
            }
            Thread.sleep(10);
        }
        // The machine's pid 1, as this machine numbers it: the child of unshare.
        final long init = p.toHandle().descendants().filter(h -> h.info().command().orElse("").endsWith("sh"))
                .findFirst().orElseThrow(() -> new IOException("no init process for lab machine " + name)).pid();
        return new Machine(name, host.address(), host, p, init, changes);
    }

    /**
     * This machine as the lab's user works on it: the same network, processes and files, but a
     * copy-on-write view of {@code /root}, so that what the user's programs keep in their home
     * ({@code ~/.ssh}, {@code ~/.config/jamwire}, an inventory) stays with this lab. OpenSSH and
     * Java find the home in the password database, not in HOME, so a HOME of its own would not do.
     */
    public Machine workstation() throws IOException, InterruptedException {
        final Path changes = root.resolve("workstation");
        final Path up = changes.resolve("root");
        Files.createDirectories(up.resolve("upper"));
        Files.createDirectories(up.resolve("work"));
        final String script = "set -e\nmount -t overlay overlay -o lowerdir=/root,upperdir=" + up.resolve("upper")
                + ",workdir=" + up.resolve("work") + " /root\necho ready\n"
                + "trap 'exit 0' TERM\nwhile :; do sleep 3600 & wait $! || true; done\n";
        final Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true).start();
        TestJvm.atExit(p::destroyForcibly);
        final InputStream out = p.getInputStream();
        final StringBuilder said = new StringBuilder();
        for (int c = out.read(); c >= 0 && said.indexOf("ready") < 0; c = out.read()) {
            said.append((char) c);
        }
        if (said.indexOf("ready") < 0) {
            throw new IOException("the workstation did not start: " + said);
        }
        final Machine m = new Machine("workstation", network.addressHere(), null, p, p.pid(), changes);
        machines.add(m);
        return m;
    }

    /** The systemctl stand-in, from the test resources, as an executable file. */
    private Path standin() throws IOException {
        final Path f = root.resolve("systemctl-standin");
        if (!Files.exists(f)) {
            try (InputStream in = LabMachines.class.getResourceAsStream("systemctl-standin")) {
                if (in == null) {
                    throw new IOException("systemctl-standin is missing from the test resources");
                }
                Files.copy(in, f);
            }
            f.toFile().setExecutable(true, false);
            f.toFile().setReadable(true, false);
        }
        return f;
    }

    /** Machine {@code i}, from 0. */
    public Machine machine(int i) {
        return machines.get(i);
    }

    /** This machine's address on the lab network. */
    public String addressHere() {
        return network.addressHere();
    }

    private static void check(Result r, String what) throws IOException {
        if (r.exitStatus() != 0) {
            throw new IOException("could not " + what + ": " + r.output());
        }
    }

    @Override
    public void close() throws IOException {
        for (Machine m : machines) {
            ProcessHandle.of(m.pid).ifPresent(ProcessHandle::destroy);
            try {
                if (!m.holder.waitFor(10, TimeUnit.SECONDS)) {
                    m.holder.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            exec(List.of("umount", "-l", root.toString()), 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        network.close();
    }

    /** A command's exit status and output (stdout and stderr together). */
    public record Result(int exitStatus, String output) {
    }

    /** Runs {@code command} here, within {@code seconds}. */
    public static Result exec(List<String> command, int seconds) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[][] out = new byte[1][];
        final Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        }, "lab machine command output");
        reader.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(1000);
            throw new IOException(String.join(" ", command) + " did not finish within " + seconds + " s");
        }
        reader.join();
        return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }
}
