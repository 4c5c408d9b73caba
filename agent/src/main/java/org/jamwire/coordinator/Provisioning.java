package org.jamwire.coordinator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Provisions a peer: runs the lab's site playbook (bundled in this agent's jar) with
 * ansible-playbook on this machine against that one peer, installing this agent's own jar there.
 * Everything about the run is fixed here: the argv (no shell), an inventory written for the run
 * whose ssh checks host keys strictly against this agent's own known_hosts, and the variables from
 * {@link ProvisionSettings} with the token in a file of the run's own, never in argv (those files
 * are the run's {@link RunDirectory}).
 * {@link #prepare} runs on an HTTP thread, {@link #run} on the job's own thread.
 */
public final class Provisioning implements AutoCloseable {

    /** How long one run may take before it is stopped. */
    static final Duration RUN_LIMIT = Duration.ofMinutes(30);
    /** Paths that go into ssh options, which split on blanks and quotes. */
    private static final String SAFE_PATH = "[A-Za-z0-9_./@+-]{1,200}";

    /** Provisioning is not possible from this agent as it runs, and the message says what to do. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /**
     * What a run will do, checked before it starts.
     *
     * @param token the token written to a peer that has none, kept out of the job's lines
     */
    public record Plan(Peer peer, List<Peer> lab, boolean check, Path playbook, Path jar, Path knownHosts,
            ProvisionSettings settings, String token) {

        /** A job for this plan, not started yet. */
        public ProvisionJob job(String id) {
            return new ProvisionJob(id, peer.name(), check, token);
        }
    }

    private final Lab lab;
    private final Path settingsFile;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * @param settingsFile the role variables every run gets ({@code provision.json}; need not exist)
     */
    public Provisioning(Lab lab, Path settingsFile) {
        this.lab = lab;
        this.settingsFile = settingsFile;
    }

    /** The settings file. */
    public Path settingsFile() {
        return settingsFile;
    }

    /**
     * Checks that a run can start: the peer is known, ansible-playbook is installed, this agent runs
     * from its jar, the settings file reads, and ssh reaches the peer with a host key already trusted.
     *
     * @throws SshException with UNKNOWN_HOST_KEY or CHANGED_HOST_KEY for a host not (or no longer)
     *     trusted, or how ssh failed
     */
    public Plan prepare(String name, boolean check) throws Lab.LabException, SshException, Unavailable {
        final Peer peer = lab.get(name);
        final Path playbook = onPath("ansible-playbook");
        if (playbook == null) {
            throw new Unavailable("ansible-playbook is not installed on this machine, which runs it against the"
                    + " peer: apt install ansible");
        }
        final Path jar = ownJar();
        if (jar == null) {
            throw new Unavailable("this agent does not run from its jar, which is what gets installed on the peer:"
                    + " build it (mvn -DskipTests package) and run ./jamwire agent or java -jar jamwire.jar agent");
        }
        final ProvisionSettings settings;
        try {
            settings = ProvisionSettings.read(settingsFile);
        } catch (IOException e) {
            throw new Unavailable("the provisioning settings cannot be used: " + e.getMessage());
        }
        final Path known = lab.knownHosts().file().toAbsolutePath();
        for (Path p : List.of(known, peer.key().toAbsolutePath(), jar)) {
            if (!p.toString().matches(SAFE_PATH)) {
                throw new Unavailable(p + ": a path given to ssh and Ansible may hold only letters, digits and"
                        + " _ . / @ + -");
            }
        }
        // The host key is checked here, before anything runs; ssh under Ansible checks it again.
        lab.connect(peer).close();
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new Plan(peer, lab.peers(), check, playbook, jar, known, settings, HexFormat.of().formatHex(secret));
    }

    /** The running agent's jar, or null when it runs from class directories. */
    static Path ownJar() {
        try {
            final Path p = Path.of(Provisioning.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar") ? p.toAbsolutePath() : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static Path onPath(String program) {
        final String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            if (!dir.isEmpty()) {
                final Path p = Path.of(dir, program);
                if (Files.isExecutable(p) && Files.isRegularFile(p)) {
                    return p.toAbsolutePath();
                }
            }
        }
        return null;
    }

    /**
     * Runs the plan, adding each line ansible-playbook prints to {@code job}; then, after a real
     * run that converged, records where the peer's agent now keeps its token and listens.
     */
    public void run(Plan plan, ProvisionJob job) {
        RunDirectory files = null;
        try {
            files = new RunDirectory();
            final Path dir = files.path();
            final Path ansible = files.extract(plan.jar());
            final Path inventory = files.inventory(plan);
            final Path vars = files.vars(plan);
            final List<String> common = List.of(plan.playbook().toString(), "-i", inventory.toString(), "--limit",
                    plan.peer().name(), "-e", "@" + vars);
            final List<String> list = new ArrayList<>(common);
            list.addAll(List.of("--list-tasks", "site.yml"));
            job.tasks(listTasks(start(list, ansible, dir)));
            final List<String> argv = new ArrayList<>(common);
            if (plan.check()) {
                argv.addAll(List.of("--check", "--diff"));
            }
            argv.add("site.yml");
            final Process p = start(argv, ansible, dir);
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    job.add(line);
                }
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                stop(p);
            }
            job.exited(p.exitValue());
            running.remove(p);
            if (job.state() == ProvisionJob.State.DONE && !plan.check()) {
                lab.agentInstalled(plan.peer().name(), plan.settings().agentPort(),
                        plan.settings().agentRoot() + plan.settings().tokenFile());
            }
        } catch (IOException | RuntimeException e) {
            job.failed("the run could not go on: " + e.getMessage());
        } catch (InterruptedException e) {
            job.failed("the run was stopped");
            Thread.currentThread().interrupt();
        } finally {
            if (files != null) {
                files.close();
            }
        }
    }

    private Process start(List<String> argv, Path ansible, Path dir) throws IOException {
        final ProcessBuilder pb = new ProcessBuilder(argv).directory(ansible.toFile()).redirectErrorStream(true);
        final Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        env.put("ANSIBLE_CONFIG", ansible.resolve("ansible.cfg").toString());
        env.put("ANSIBLE_LOCAL_TEMP", Files.createDirectories(dir.resolve("tmp")).toString());
        env.put("ANSIBLE_STDOUT_CALLBACK", "default");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("NO_COLOR", "1");
        // Each line as it is printed, not in blocks.
        env.put("PYTHONUNBUFFERED", "1");
        final Process p = pb.start();
        p.getOutputStream().close();
        running.add(p);
        final Thread limit = new Thread(() -> {
            try {
                if (!p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    stop(p);
                }
            } catch (InterruptedException e) {
                stop(p);
            }
        }, "jamwire-provision-limit");
        limit.setDaemon(true);
        limit.start();
        return p;
    }

    /** The names of the tasks {@code --list-tasks} lists ("role : task"), or none when it fails. */
    private Set<String> listTasks(Process p) throws IOException, InterruptedException {
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        running.remove(p);
        if (!ended || p.exitValue() != 0) {
            stop(p);
            return Set.of();
        }
        return out.lines().filter(l -> l.contains("TAGS: [")).map(l -> l.substring(0, l.indexOf("TAGS: [")).strip())
                .collect(Collectors.toSet());
    }

    private void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        running.remove(p);
    }

    /** Stops the runs still going, as the agent stops. */
    @Override
    public void close() {
        for (Process p : new ArrayList<>(running)) {
            stop(p);
        }
    }
}
