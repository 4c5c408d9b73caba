package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.LabMachines;
import org.jamwire.testing.SignalProbe;
import org.jamwire.testing.TestJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Two lab machines to first sound", performed as written. Two fresh lab machines
 * ({@link LabMachines}: their own network, {@code /etc}, {@code /opt}, {@code /var/lib},
 * {@code /home}, {@code /root}, {@code /run}, processes and host name) start with what the README
 * says they need: sshd, and root's authorized key. The test runs every command of the quickstart
 * from the repository's root in a home of its own, answering the host-key question with yes, and
 * changes only what the README tells the user to change (the machines' addresses, and the dummy
 * JACK driver, since these machines have no sound card). Then it checks, sample by sample, that
 * audio flows both ways through the pair the quickstart started; that a second pair on the same
 * machines runs with ports the coordinator chose; that the JACK service outlives the agent's
 * restart; that "make them match" restarts the service at the other end's settings, after which a
 * pair streams; and that no file on the machines or in the jar holds a token but the token files.
 * systemd cannot run as init in a namespace: each unit's ExecStart runs as the role wrote it,
 * through the machines' systemctl stand-in.
 */
@Tag("integration")
class QuickstartTest {

    private static final Path REPO = Path.of(System.getProperty("jamwire.launcher")).toAbsolutePath().getParent();
    private static final String SECTION = "## Two lab machines to first sound";
    private static final int RATE = 48_000;
    private static final int PERIOD = 128;
    private static final int CHANNELS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One of the quickstart's numbered steps: its title and its command lines. */
    record Step(int number, String title, List<String> commands) {
    }

    /** The steps of the README's quickstart: its first sh block, "# N. title" starting each. */
    static List<Step> quickstart() throws IOException {
        final String readme = Files.readString(REPO.resolve("README.md"));
        final int at = readme.indexOf("\n" + SECTION + "\n");
        assertTrue(at >= 0, "README.md has a section " + SECTION);
        final Matcher block = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(at), "the quickstart has an sh block");
        final List<Step> steps = new ArrayList<>();
        final Pattern title = Pattern.compile("# ([0-9]+)\\. (.+)");
        String heredocEnd = null;
        StringBuilder heredoc = null;
        for (String line : block.group(1).split("\n")) {
            if (heredoc != null) {
                heredoc.append('\n').append(line);
                if (line.equals(heredocEnd)) {
                    steps.get(steps.size() - 1).commands().add(heredoc.toString());
                    heredoc = null;
                }
                continue;
            }
            final Matcher t = title.matcher(line);
            if (t.matches()) {
                steps.add(new Step(Integer.parseInt(t.group(1)), t.group(2), new ArrayList<>()));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                assertFalse(steps.isEmpty(), "a command before the first numbered step: " + line);
                final Matcher h = Pattern.compile("<<'?([A-Z]+)'?").matcher(line);
                if (h.find()) {
                    heredocEnd = h.group(1);
                    heredoc = new StringBuilder(line);
                } else {
                    steps.get(steps.size() - 1).commands().add(line);
                }
            }
        }
        return steps;
    }

    @Test
    void two_fresh_lab_machines_reach_first_sound_as_the_readme_says() throws Exception {
        final List<Step> steps = quickstart();
        // At most five actions, none of them for one machine.
        assertTrue(steps.size() <= 5, steps.size() + " steps: " + steps);
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(i + 1, steps.get(i).number(), "steps numbered in order: " + steps);
            for (String c : steps.get(i).commands()) {
                assertFalse(c.contains("--limit") || c.matches("(?s).*\\bssh\\s.*"), "a per-machine command: " + c);
            }
        }
        try (LabMachines lab = LabMachines.create(dir.resolve("machines"), "studio-a", "studio-b")) {
            // This machine, as the lab's user works on it: root, whose home (~/.ssh, ~/.config) is the lab's own.
            final LabMachines.Machine ws = lab.workstation();
            final Map<String, String> env = new HashMap<>();
            env.put("HOME", "/root");
            env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            env.put("LANG", "C.UTF-8");
            // The user's own key, which the machines' root accepts: "sshd and a key".
            final Shell user = new Shell(ws, env);
            user.run("rm -rf ~/.ssh ~/.config/jamwire ~/jamwire-lab && ssh-keygen -q -t ed25519 -N '' -f ~/.ssh/id_ed25519",
                    "", 30);
            for (int i = 0; i < 2; i++) {
                freshMachine(lab.machine(i), Files.readString(ws.file("/root/.ssh/id_ed25519.pub")));
            }
            Process agent = null;
            JsonNode firstPair = null;
            try {
                for (Step step : steps) {
                    final long stepStart = System.nanoTime();
                    for (String command : step.commands()) {
                        if (command.startsWith("./jamwire agent")) {
                            agent = user.start(command, dir.resolve("agent.log"));
                            awaitLine(dir.resolve("agent.log"), "Open the web UI", agent);
                        } else if (command.startsWith("mvn ")) {
                            // The build under test has built the jar already.
                            assertTrue(Files.exists(Path.of(System.getProperty("jamwire.jar"))));
                        } else {
                            // The host-key question, once per machine: the user compares and says yes.
                            final String out = user.run(command, command.contains(" lab trust ") ? "y\ny\n" : "",
                                    600);
                            if (command.contains("/api/lab/pairs")) {
                                firstPair = JSON.readTree(out);
                            }
                        }
                    }
                    for (int i = 0; i < 2; i++) {
                        assertTrue(lab.machine(i).alive(), lab.machine(i).name() + " still runs after step "
                                + step.number());
                    }
                    System.out.printf("quickstart step %d (%s): %.1f s%n", step.number(), step.title(),
                            (System.nanoTime() - stepStart) / 1e9);
                    lapStart = System.nanoTime();
                    if (step.number() == 1) {
                        // What the README tells the user to change: the machines' addresses (and, as
                        // these have no sound card, JACK's dummy driver).
                        final Path inventory = ws.file("/root/jamwire-lab/inventory.yml");
                        Files.writeString(inventory, Files.readString(inventory)
                                .replace("192.0.2.10", lab.machine(0).address())
                                .replace("192.0.2.11", lab.machine(1).address())
                                .replace("jack_service_driver: alsa", "jack_service_driver: dummy")
                                .replace("jack_service_driver_options: \"-d hw:0\"",
                                        "jack_service_driver_options: \"-C 2 -P 2\""));
                    }
                }
                assertTrue(agent != null && firstPair != null, "the quickstart runs the agent and starts a pair");
                final String token = Files.readString(ws.file("/root/.config/jamwire/token")).trim();
                final AgentClient api = new AgentClient(8464, token);
                final JsonNode pair = api.awaitPairEnd(firstPair.get("id").asText());
                assertEquals("running", pair.get("state").asText(), pair.toString());
                assertAudioBothWays(api, lab, pair);
                lap("first pair running, audio judged both ways");

                // A second pair on the same machines: the coordinator chooses its ports.
                final String second = user.run(steps.get(steps.size() - 1).commands().get(0), "", 60);
                final JsonNode pair2 = api.awaitPairEnd(JSON.readTree(second).get("id").asText());
                assertEquals("running", pair2.get("state").asText(), pair2.toString());
                assertNotEquals(pair.get("port").asInt(), pair2.get("port").asInt(), pair2.toString());
                lap("second pair running");

                // The JACK service outlives the agent's restart.
                final LabMachines.Machine a = lab.machine(0);
                final String jackd = a.run(List.of("pgrep", "-x", "jackd")).output().trim();
                assertEquals(0, a.run(List.of("systemctl", "restart", "jamwire-agent")).exitStatus());
                Deadlines.await(Duration.ofSeconds(60), () -> probe(api, "studio-a").path("report")
                        .path("agentRunning").asBoolean(), () -> "studio-a's agent back");
                assertEquals(jackd, a.run(List.of("pgrep", "-x", "jackd")).output().trim(), "the same jackd runs");
                lap("agent restarted, jackd kept");

                // Make them match: studio-b's JACK at another rate is put back at studio-a's settings.
                for (JsonNode p : List.of(pair, pair2)) {
                    api.delete("/api/lab/pairs/" + p.get("id").asText());
                }
                final LabMachines.Machine b = lab.machine(1);
                assertEquals(0, b.run(List.of("sed", "-i", "s/^JAMWIRE_JACK_RATE=.*/JAMWIRE_JACK_RATE=44100/",
                        "/var/lib/jamwire/jackd.env")).exitStatus());
                assertEquals(0, b.run(List.of("systemctl", "restart", "jamwire-jackd")).exitStatus());
                final JsonNode refused = api.post("/api/lab/preflight",
                        "{\"peer\": \"studio-a\", \"client\": \"studio-b\"}").json();
                assertFalse(refused.get("ok").asBoolean(), refused.toString());
                final String jackdB = b.run(List.of("pgrep", "-x", "jackd")).output().trim();
                final AgentClient.Response matched = api.post("/api/lab/peers/studio-b/match-jack",
                        "{\"sampleRate\": " + RATE + ", \"bufferSize\": " + PERIOD + "}");
                assertEquals(200, matched.status(), matched.body());
                assertEquals(RATE, matched.json().path("report").path("sampleRate").asInt(), matched.body());
                assertNotEquals(jackdB, b.run(List.of("pgrep", "-x", "jackd")).output().trim(), "restarted");
                assertTrue(b.run(List.of("cat", "/var/lib/jamwire/jackd.env")).output()
                        .contains("JAMWIRE_JACK_RATE=" + RATE), "the service's settings changed");
                final JsonNode pair3 = api.awaitPairEnd(JSON.readTree(user.run(steps.get(steps.size() - 1).commands()
                        .get(0), "", 60)).get("id").asText());
                assertEquals("running", pair3.get("state").asText(), pair3.toString());
                // Streaming both ways at the matched rate, as each machine's agent counts it (the
                // first pair's audio was judged sample by sample).
                assertReceivingBothWays(lab, pair3);
                lap("matched, third pair running, audio both ways");
                api.delete("/api/lab/pairs/" + pair3.get("id").asText());

                assertNoTokenOutsideTokenFiles(lab, token);
            } finally {
                if (agent != null) {
                    agent.destroy();
                    if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                        agent.destroyForcibly();
                    }
                }
            }
        }
    }

    private long lapStart = System.nanoTime();

    /** Prints how long the part that ended took. */
    private void lap(String what) {
        System.out.printf("quickstart, %s: %.1f s%n", what, (System.nanoTime() - lapStart) / 1e9);
        lapStart = System.nanoTime();
    }

    /** sshd running with its own host keys, and root's authorized key: a machine as it comes. */
    private static void freshMachine(LabMachines.Machine m, String userKey) throws Exception {
        assertEquals(0, m.run(List.of("ssh-keygen", "-A")).exitStatus());
        // Root's shell start-up files as a fresh Debian has them (this machine's may set up tools of its own).
        assertEquals(0, m.run(List.of("sh", "-c", "cp /usr/share/base-files/dot.bashrc /root/.bashrc"
                + " && cp /usr/share/base-files/dot.profile /root/.profile")).exitStatus());
        final Path ssh = Files.createDirectories(m.file("/root/.ssh"));
        Files.setPosixFilePermissions(ssh, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        Files.writeString(ssh.resolve("authorized_keys"), userKey);
        final LabMachines.Result sshd = m.run(List.of("/usr/sbin/sshd"));
        assertEquals(0, sshd.exitStatus(), sshd.output());
        Deadlines.await(Duration.ofSeconds(10), () -> listening(m, 22), () -> m.name() + "'s sshd on port 22");
    }

    private static boolean listening(LabMachines.Machine m, int port) {
        try {
            return m.run(List.of("ss", "-Htln", "sport = :" + port)).output().contains(":" + port);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Audio through the pair both ways, sample by sample: a signal into the server's end on its
     * machine, looped back at the client's end on the other, recorded where it started.
     */
    private void assertAudioBothWays(AgentClient api, LabMachines lab, JsonNode pair) throws Exception {
        final LabMachines.Machine server = machine(lab, pair.get("peer").asText());
        final LabMachines.Machine client = machine(lab, pair.get("client").asText());
        final String serverPorts = jackName(server, "send_1");
        final String clientPorts = jackName(client, "receive_1");
        for (int c = 1; c <= CHANNELS; c++) {
            final LabMachines.Result r = client.runAs("jamwire", List.of("env", "JACK_NO_START_SERVER=1",
                    "jack_connect", clientPorts + ":receive_" + c, clientPorts + ":send_" + c));
            assertEquals(0, r.exitStatus(), r.output());
        }
        final long xrunsBefore = xruns(api, server.name()) + xruns(api, client.name());
        final List<String> connections = new ArrayList<>();
        for (int c = 1; c <= CHANNELS; c++) {
            connections.add("quickprobe:out_" + c + ">" + serverPorts + ":send_" + c);
            connections.add(serverPorts + ":receive_" + c + ">quickprobe:in_" + c);
        }
        final int frames = 4 * RATE;
        final SignalProbe probe = SignalProbe.startOn(server.as("jamwire", List.of()), probeClasspath(server),
                "/tmp/quickprobe.f32", server.file("/tmp/quickprobe.f32"), "default", "quickprobe", CHANNELS,
                CHANNELS, frames, connections);
        try {
            probe.awaitReady(Duration.ofSeconds(60));
            final float[][] recorded = probe.recording(Duration.ofSeconds(60));
            final long xruns = xruns(api, server.name()) + xruns(api, client.name()) - xrunsBefore;
            for (int c = 1; c <= CHANNELS; c++) {
                AudioJudge.of(recorded[c - 1], 2 * RATE, c, 16, PERIOD).assertAccounted(server.name() + " → "
                        + client.name() + " → " + server.name() + ", channel " + c, xruns,
                        AudioJudge.JAMWIRE_PER_XRUN, "pair: " + pair + "\nprobe: " + probe.output());
            }
        } finally {
            probe.close();
            for (int c = 1; c <= CHANNELS; c++) {
                client.runAs("jamwire", List.of("env", "JACK_NO_START_SERVER=1", "jack_disconnect",
                        clientPorts + ":receive_" + c, clientPorts + ":send_" + c));
            }
        }
    }

    /** The JACK client name of the link end on {@code m} that has port {@code port}. */
    private static String jackName(LabMachines.Machine m, String port) {
        final String[] name = new String[1];
        final String[] seen = {""};
        Deadlines.await(Duration.ofSeconds(30), () -> {
            try {
                final LabMachines.Result r = m.runAs("jamwire", List.of("env", "JACK_NO_START_SERVER=1",
                        "jack_lsp"));
                seen[0] = r.exitStatus() + ": " + r.output();
                for (String line : r.output().split("\n")) {
                    if (line.endsWith(":" + port) && !line.startsWith("system:")) {
                        name[0] = line.substring(0, line.length() - port.length() - 1);
                        return true;
                    }
                }
            } catch (IOException | InterruptedException e) {
                seen[0] = e.toString();
            }
            return false;
        }, () -> m.name() + " has a link port " + port + "; jack_lsp as jamwire: " + seen[0] + "\n" + m.describe());
        return name[0];
    }

    /**
     * The probe's class path, as the machine's JACK user can read it: this build's classes, and
     * copies of the JNA and JNAJack jars (the local repository is root's alone).
     */
    private static String probeClasspath(LabMachines.Machine m) throws IOException {
        final Path there = Files.createDirectories(m.file("/tmp/probe-classpath"));
        there.toFile().setReadable(true, false);
        there.toFile().setExecutable(true, false);
        final List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(":")) {
            final Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                entries.add(e);
            } else if (p.getFileName().toString().matches("(jna|jnajack).*\\.jar")) {
                final Path copy = there.resolve(p.getFileName().toString());
                Files.copy(p, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().setReadable(true, false);
                entries.add("/tmp/probe-classpath/" + p.getFileName());
            }
        }
        return String.join(":", entries);
    }

    /** Each end of the pair receiving, as the agent on its machine counts it (within 20 s). */
    private static void assertReceivingBothWays(LabMachines lab, JsonNode pair) {
        for (String[] end : new String[][] {{"peer", "serverLink"}, {"client", "clientLink"}}) {
            final LabMachines.Machine m = machine(lab, pair.get(end[0]).asText());
            final String link = pair.get(end[1]).asText();
            Deadlines.await(Duration.ofSeconds(20), () -> received(m, link) > 100, () -> m.name() + "'s " + link
                    + " received " + received(m, link) + " packets; pair: " + pair);
        }
    }

    /** Packets a link on {@code m} received, read from the agent there as a user there would, with curl. */
    private static long received(LabMachines.Machine m, String link) {
        try {
            final String token = Files.readString(m.file("/var/lib/jamwire/token")).strip();
            final LabMachines.Result r = m.run(List.of("curl", "-sS", "--max-time", "5", "-H", "Authorization: Bearer "
                    + token, "http://127.0.0.1:8464/api/links/" + link + "/counters"));
            return JSON.readTree(r.output()).path("pkts_in").asLong(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static LabMachines.Machine machine(LabMachines lab, String name) {
        return lab.machine(0).name().equals(name) ? lab.machine(0) : lab.machine(1);
    }

    private static JsonNode probe(AgentClient api, String peer) {
        return api.post("/api/lab/peers/" + peer + "/probe", "").json();
    }

    private static long xruns(AgentClient api, String peer) {
        final long x = probe(api, peer).path("report").path("xruns").asLong(-1);
        assertTrue(x >= 0, peer + "'s agent counts its JACK server's xruns");
        return x;
    }

    /**
     * No file on either machine (what they wrote to their private copies) or in the built jar
     * holds a token, but the agents' token files, which are 0600.
     */
    private static void assertNoTokenOutsideTokenFiles(LabMachines lab, String coordinatorToken)
            throws IOException, InterruptedException {
        final List<String> tokens = new ArrayList<>(List.of(coordinatorToken));
        for (int i = 0; i < 2; i++) {
            final LabMachines.Machine m = lab.machine(i);
            tokens.add(m.run(List.of("cat", "/var/lib/jamwire/token")).output().trim());
            assertEquals("600 jamwire\n", m.run(List.of("stat", "-c", "%a %U", "/var/lib/jamwire/token")).output());
        }
        for (String t : tokens) {
            assertTrue(t.matches("[0-9a-f]{64}"), "a token: " + t);
        }
        final List<String> found = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (Stream<Path> files = Files.walk(lab.machine(i).changes())) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    final String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    for (String t : tokens) {
                        if (text.contains(t) && !f.toString().endsWith("/var-lib/upper/jamwire/token")) {
                            found.add(f.toString());
                        }
                    }
                }
            }
        }
        final Path jar = Path.of(System.getProperty("jamwire.jar"));
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    final String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    for (String t : tokens) {
                        if (text.contains(t)) {
                            found.add(jar + "!" + e.getName());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "files holding a token");
    }

    private static void awaitLine(Path log, String text, Process p) {
        Deadlines.await(Duration.ofSeconds(120), () -> read(log).contains(text) || !p.isAlive(),
                () -> "'" + text + "' in " + log + ": " + read(log));
        assertTrue(read(log).contains(text), read(log));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The user's terminal on the workstation: each command runs with bash from the repository's
     * root. A command that asks the user something runs on a terminal of its own ({@code script}),
     * as it would for a person typing the answers.
     */
    private record Shell(LabMachines.Machine ws, Map<String, String> env) {

        Process start(String command, Path log) throws IOException {
            final ProcessBuilder pb = new ProcessBuilder(ws.on(List.of("bash", "-c", here() + "exec " + command)))
                    .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            final Process p = pb.start();
            TestJvm.atExit(p::destroyForcibly);
            return p;
        }

        String run(String command, String input, int seconds) throws IOException, InterruptedException {
            final List<String> argv = input.isEmpty() ? List.of("bash", "-euo", "pipefail", "-c", here() + command)
                    : List.of("script", "-q", "-e", "-c", "bash -euo pipefail -c " + quote(here() + command),
                            "/dev/null");
            final ProcessBuilder pb = new ProcessBuilder(ws.on(argv)).directory(REPO.toFile())
                    .redirectErrorStream(true);
            pb.environment().putAll(env);
            final Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // It did not read its input: fine.
            }
            final StringBuilder out = new StringBuilder();
            final Thread reader = new Thread(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.append(e);
                }
            }, "quickstart command output");
            reader.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                reader.join(2000);
                throw new AssertionError(command + " did not finish within " + seconds + " s:\n" + out);
            }
            reader.join();
            assertEquals(0, p.exitValue(), command + ":\n" + out);
            return out.toString();
        }

        /** Entering the workstation's mount namespace starts at its root: back to the repository. */
        private static String here() {
            return "cd " + quote(REPO.toString()) + "\n";
        }

        private static String quote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }
    }
}
