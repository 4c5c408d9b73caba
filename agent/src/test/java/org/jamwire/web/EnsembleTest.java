package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Browser;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JacktripStats;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.Program;
import org.jamwire.testing.SignalProbe;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;

/**
 * An ensemble of four lab hosts, each a network namespace with its own sshd and JACK server: a hub
 * and two members with JamWire agents, and a member with only jacktrip. One button in the Lab view,
 * in headless chromium, starts it (one API call): the coordinator on this machine connects to all
 * four, starts the hub through its host's agent, then each member (two through their agents, one
 * as {@code jacktrip -C} started detached on its machine), and calls it running once every member
 * hears the hub; the hub patches the members as its mode 2 says. Then the members take turns, each
 * playing its own signal for 1.5 s while the others play silence, through a probe on its own JACK
 * server (a process of its own: libjack serves one server per process). Every member must play
 * each other member's turn sample for sample, but for what the JACK servers' counted xruns (and
 * the jacktrip member's own counted jitter-buffer events) cost, and silence in its own; in the tab,
 * the JamWire members' send and receive meters move. Then, while one member plays, the
 * coordinator's ssh connections are cut, and it connects again; then its agent stops and starts
 * again, and the new agent finds the whole ensemble again within 10 s. The two other members (one
 * through its agent, the jacktrip one detached) hear the one playing sample for sample all along;
 * the tab follows, and its Stop removes every end.
 */
@Tag("integration")
class EnsembleTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 512;
    private static final int MEMBERS = 3;
    /** Each member's turn. */
    private static final int SLOT = (int) (1.5 * RATE);
    /** The start of a turn that is not judged: longer than any path's delay through the hub. */
    private static final double UNJUDGED_SECONDS = 0.5;
    /** The most each probe of the turns may record: its start, the turns, and time to spare. */
    private static final int RECORD_FRAMES = 30 * RATE;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Past the queues' settling after playback begins, with half a second to spare. */
    private static final long SETTLED_NANOS = 2_500_000_000L;
    /** The most each probe may record while the coordinator restarts. */
    private static final int CUT_FRAMES = 40 * RATE;
    private static final String[] NAMES = {"lab-hub", "lab-a", "lab-b", "lab-c"};


    @TempDir
    Path dir;

    @Test
    void one_call_starts_a_hub_and_three_members_who_hear_each_other() throws Exception {
        final List<String> path = SshServer.jamwireOnPath(dir.resolve("bin"));
        final List<AutoCloseable> open = new ArrayList<>();
        // A port of its own, so that the agent started again answers where the first did.
        final AgentSettings settings = AgentSettings.defaults(FreePorts.tcp(), dir.resolve("coordinator/token"),
                "jamwire-no-jack-" + ProcessHandle.current().pid());
        final AgentServer[] coordinator = {AgentServer.start(settings)};
        try (LabHosts lab = LabHosts.create(4)) {
            try {
                run(lab, settings, coordinator, path, open);
            } finally {
                try {
                    coordinator[0].close();
                } finally {
                    for (int i = open.size() - 1; i >= 0; i--) {
                        open.get(i).close();
                    }
                }
            }
        }
    }

    private void run(LabHosts lab, AgentSettings settings, AgentServer[] coordinator, List<String> path,
            List<AutoCloseable> open) throws Exception {
        final AgentClient api = new AgentClient(coordinator[0].port(), coordinator[0].token().value());
        final List<JackServer> jacks = new ArrayList<>();
        final List<SshServer> sshds = new ArrayList<>();
        final List<Program> agents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final JackServer jack = JackServer.start(RATE, PERIOD, 1, 1);
            open.add(jack);
            jacks.add(jack);
            // lab-c has jacktrip only: no jamwire on its PATH, and no agent.
            final SshServer sshd = SshServer.start(dir.resolve("sshd-" + i), lab.host(i).address(),
                    lab.host(i).on(List.of()), i == 3 ? List.of() : path);
            open.add(sshd);
            sshds.add(sshd);
            if (i < 3) {
                final Program agent = Program.launcher(jack.name(), lab.host(i).on(List.of()), "agent", "--port",
                        "8464", "--token-file", dir.resolve("token-" + i).toString(), "--jack-server", jack.name());
                open.add(agent);
                agents.add(agent);
            }
        }
        // The three agents start side by side.
        for (Program agent : agents) {
            agent.awaitOutput("Open the web UI", Duration.ofSeconds(60));
        }
        for (int i = 0; i < 4; i++) {
            final SshServer sshd = sshds.get(i);
            final Path token = dir.resolve("token-" + i);
            assertEquals(201, api.post("/api/lab/peers", "{\"name\": \"" + NAMES[i] + "\", \"host\": \""
                    + lab.host(i).address() + "\", \"port\": " + sshd.port() + ", \"user\": \""
                    + System.getProperty("user.name") + "\", \"key\": \"" + sshd.userKey() + "\", \"jackServer\":"
                    + " \"" + jacks.get(i).name() + "\", \"agentToken\": \"" + token + "\"}").status());
            assertEquals(204, api.post("/api/lab/peers/" + NAMES[i] + "/trust", "{\"fingerprint\": \""
                    + sshd.hostFingerprint() + "\"}").status());
        }

        // One button in the Lab view starts the ensemble: one POST /api/lab/ensembles.
        final WebDriver driver = Browser.start();
        open.add(driver::quit);
        final EnsemblePage page = EnsemblePage.open(driver, coordinator[0].port(), coordinator[0].token().value());
        page.start("band", "lab-hub", 2, List.of("lab-a", "lab-b", "lab-c"), 1, "4");
        final JsonNode[] run = new JsonNode[1];
        // The click's POST may reach the agent after the first poll: until then there is no ensemble.
        Deadlines.await(Duration.ofSeconds(120), () -> {
            run[0] = api.get("/api/lab/ensembles/band").json().path("run");
            return run[0].isObject() && !"starting".equals(run[0].path("state").asText());
        }, () -> "the ensemble: " + run[0] + page.shown());
        assertEquals("running", run[0].get("state").asText(), run[0].toString());
        final long runningAt = System.nanoTime();
        final JsonNode started3 = run[0].get("members");
        assertEquals(List.of("agent", "agent", "jacktrip"), List.of(started3.get(0).get("program").asText(),
                started3.get(1).get("program").asText(), started3.get(2).get("program").asText()), run[0].toString());
        assertEquals(1, api.get("/api/lab/ensembles").json().size());
        // The pre-flight: a row per machine, the hub's first, nothing to fix; lab-c runs only jacktrip.
        final JsonNode machines = run[0].get("machines");
        assertEquals(List.of("lab-hub", "lab-a", "lab-b", "lab-c"), List.of(machines.get(0).get("peer").asText(),
                machines.get(1).get("peer").asText(), machines.get(2).get("peer").asText(),
                machines.get(3).get("peer").asText()), run[0].toString());
        for (JsonNode m : machines) {
            assertEquals(0, m.get("fixes").size(), m.toString());
            assertEquals(RATE, m.get("sampleRate").asInt(), m.toString());
            assertEquals(PERIOD, m.get("bufferSize").asInt(), m.toString());
        }
        assertTrue(!machines.get(3).get("agentRunning").asBoolean() && machines.get(3).get("jacktripVersion")
                .isTextual(), machines.get(3).toString());
        assertEquals("Running: the hub on lab-hub, and every member hears it.", page.awaitState("running", WAIT));
        assertTrue(page.note("lab-c").contains("runs jacktrip detached"), page.shown());

        // The hub's machine has a JACK client per member, named after it, patched as mode 2 says:
        // each member's send port is fed by every other member's receive port, and not by its own.
        final JackServer hub = jacks.get(0);
        for (int listener = 1; listener <= MEMBERS; listener++) {
            final String send = NAMES[listener] + ":send_1";
            final int l = listener;
            Deadlines.await(Duration.ofSeconds(20), () -> {
                final Set<String> feeding = hub.connections(send);
                for (int source = 1; source <= MEMBERS; source++) {
                    if ((source != l) != feeding.contains(NAMES[source] + ":receive_1")) {
                        return false;
                    }
                }
                return true;
            }, () -> "the hub's connections to " + send + ": " + hub.connections(send) + "; its ports: "
                    + hub.lsp());
        }
        assertTrue(memberOutput(api, 2).contains("Received Connection from Peer"), memberOutput(api, 2));
        for (int n = 0; n < 2; n++) {
            final String link = run[0].get("members").get(n).get("link").asText();
            assertTrue(link.matches("l[0-9]+"), run[0].toString());
        }

        // Each member's end runs on its own JACK server, where a probe (a process of its own) plays
        // that member's turn into the end and records what the end plays.
        final List<SignalProbe> probes = new ArrayList<>();
        for (int n = 1; n <= MEMBERS; n++) {
            final String link = awaitLinkPort(jacks.get(n), () -> "");
            final SignalProbe probe = SignalProbe.startTurns(jacks.get(n).name(), "turns", RECORD_FRAMES, n, SLOT,
                    MEMBERS * SLOT, List.of("turns:out_1>" + link + ":send_1", link + ":receive_1>turns:in_1"));
            open.add(probe);
            probes.add(probe);
        }
        for (int n = 1; n <= MEMBERS; n++) {
            awaitReady(probes.get(n - 1), jacks.get(n));
        }
        // Every queue on the way began playing before the ensemble ran (each member heard the hub).
        // In a queue's first two seconds of playback it may trim a surplus that a sender's first
        // periods left (SurplusWatch.SETTLING_SECONDS): the turns begin once those are over.
        Deadlines.await(Duration.ofSeconds(10), () -> System.nanoTime() - runningAt > SETTLED_NANOS,
                () -> "two and a half seconds of running");
        final long xrunsBefore = xruns(jacks);
        final long jacktripBefore = JacktripStats.receiveEvents(memberOutput(api, 2));
        final long[] origins = new long[MEMBERS];
        // The probes begin the turns at one moment of the machine's clock, a second from now,
        // however late each takes the command (a loaded machine can keep a JVM waiting).
        final long at = System.nanoTime() + 1_000_000_000L;
        for (int n = 0; n < MEMBERS; n++) {
            origins[n] = probes.get(n).beginTurns(at);
            assertTrue(origins[n] + (long) MEMBERS * SLOT <= RECORD_FRAMES, "the probe records the turns: it began"
                    + " them at frame " + origins[n] + " of " + RECORD_FRAMES);
        }
        // The members' meters move in the tab as the turns go: each sends in its own, and receives in
        // the others'; lab-c's, with no agent there, as the hub hears it, through the hub's agent.
        page.awaitMetersMove(List.of("lab-a", "lab-b", "lab-c"), WAIT);
        final float[][] heard = new float[MEMBERS][];
        for (int n = 0; n < MEMBERS; n++) {
            heard[n] = probes.get(n).recording(Duration.ofSeconds(60))[0];
        }
        final long xruns = xruns(jacks) - xrunsBefore;
        // jacktrip's statistics lines (once a second) cover everything it played in the turns.
        final long jacktripEvents = JacktripStats.receiveEvents(awaitStatsLine(api)) - jacktripBefore;
        // Every period is judged sample for sample: one an end resampled to follow a drift it
        // believed it measured is not what was sent, and the failure says how many there were.
        final long driftFixes = driftFixes(lab, dir, run[0]);
        final String context = xruns + " xruns while the turns played, " + jacktripEvents + " events counted by"
                + " lab-c's jacktrip, " + driftFixes + " periods resampled to follow a drift\nensemble: " + api.get("/api/lab/ensembles/band").body()
                + endsSay(lab, dir, run[0]);
        for (int listener = 1; listener <= MEMBERS; listener++) {
            for (int source = 1; source <= MEMBERS; source++) {
                final int from = (int) (origins[listener - 1] + (long) (source - 1) * SLOT
                        + (long) (UNJUDGED_SECONDS * RATE));
                final int to = (int) (origins[listener - 1] + (long) source * SLOT);
                final float[] turn = Arrays.copyOfRange(heard[listener - 1], from / PERIOD * PERIOD, to);
                final String what = NAMES[listener] + (listener == source ? " does not hear itself" : " hears "
                        + NAMES[source]);
                if (listener == source) {
                    for (int i = 0; i < turn.length; i++) {
                        if (turn[i] != 0f) {
                            throw new AssertionError(what + ", but plays " + turn[i] + " at frame " + i
                                    + " of its turn; " + context);
                        }
                    }
                    continue;
                }
                final AudioJudge.Judgement j = AudioJudge.of(turn, 0, AudioJudge.wire(source, 16), PERIOD, PERIOD, 0);
                System.out.println(what + " (" + xruns + " xruns, " + driftFixes + " drift corrections): "
                        + j.summary().lines().findFirst().orElse(""));
                if (listener == MEMBERS) {
                    j.assertAccounted(what, xruns + jacktripEvents, AudioJudge.JAMWIRE_PER_XRUN
                            + AudioJudge.JACKTRIP_PER_XRUN, context);
                } else {
                    j.assertAccounted(what, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                }
            }
        }

        // Beside the members, the hub's clients as the hub's agent counts them: all three, the
        // jacktrip member among them, each received from.
        assertEquals(List.of("lab-a", "lab-b", "lab-c"), page.awaitHubClients(List.of("lab-a", "lab-b", "lab-c")),
                page.shown());
        // A latency test per member, from the page: lab-a's round trip to the hub and back goes
        // through the hub's queue and its own (4 packets each, playing a period or two under that),
        // and no more than both and the periods on the way.
        final String said = page.measureLatency("lab-a");
        assertTrue(said.startsWith("Round trip: "), said + page.shown());
        final JsonNode measured = api.get("/api/lab/ensembles/band").json().path("run").path("members").path(0)
                .path("latency");
        assertTrue(measured.path("frames").asInt() >= 2 * 2 * PERIOD && measured.path("frames").asInt() <= 2 * 8
                * PERIOD, measured.toString());
        final AgentClient.Response noAgent = api.post("/api/lab/ensembles/band/latency", "{\"member\": \"lab-c\"}");
        assertEquals(409, noAgent.status(), noAgent.body());
        assertTrue(noAgent.body().contains("lab-c runs jacktrip with no JamWire agent there"), noAgent.body());

        cutTheControlPath(lab, dir, api, settings, coordinator, jacks, sshds, open);

        // The page follows the agent started again: the whole ensemble found again, and Stop there.
        assertTrue(page.awaitState("running", WAIT).startsWith("Running"), page.shown());
        page.stop("band");
        page.awaitState("stopped", WAIT);
        final JsonNode stopped = api.get("/api/lab/ensembles/band").json();
        assertEquals("stopped", stopped.get("run").get("state").asText(), stopped.toString());
        // The hub's agent keeps its hub link: the job stops it, so its members' clients go too.
        Deadlines.await(Duration.ofSeconds(20), () -> jacks.stream().allMatch(j -> j.lsp().stream()
                .noneMatch(p -> p.endsWith(":send_1") && !p.startsWith("system:") && !p.startsWith("turns:")
                        && !p.startsWith("cut:"))),
                () -> "every member's link, and the hub's clients, gone: " + jacks.stream().map(JackServer::lsp)
                        .toList());
        assertEquals(1, api.get("/api/lab/ensembles").json().size(), "the definition stays saved");

        hubOnThisMachine(lab, dir, api, AgentSettings.defaults(settings.port(), settings.tokenFile(),
                jacks.get(0).name()), coordinator, jacks, open);
    }

    /**
     * The hub runs on this machine, in the coordinator's own agent (on lab-hub's JACK server, which
     * is this machine's too), with lab-a (agent) and lab-c (jacktrip) as members: one call starts
     * it, each member hears the other through it sample for sample, and as the agent stops it stops
     * the members with it, since its hub goes; the agent started again finds nothing to run.
     */
    private static void hubOnThisMachine(LabHosts lab, Path dir, AgentClient api, AgentSettings settings,
            AgentServer[] coordinator, List<JackServer> jacks, List<AutoCloseable> open) throws Exception {
        final AgentClient.Response posted = api.post("/api/lab/ensembles", "{\"name\": \"here-band\", \"hub\":"
                + " \"here\", \"patch\": 2, \"members\": [{\"peer\": \"lab-a\", \"channels\": 1, \"queue\":"
                + " \"4\"}, {\"peer\": \"lab-c\", \"channels\": 1, \"queue\": \"4\"}]}");
        assertEquals(202, posted.status(), posted.body());
        final JsonNode[] run = new JsonNode[1];
        Deadlines.await(Duration.ofSeconds(60), () -> {
            run[0] = api.get("/api/lab/ensembles/here-band").json().path("run");
            return !"starting".equals(run[0].path("state").asText());
        }, () -> "the ensemble with its hub here: " + run[0]);
        assertEquals("running", run[0].get("state").asText(), run[0].toString());
        final long runningAt = System.nanoTime();
        final JsonNode steps = run[0].get("steps");
        assertEquals("check this machine", steps.get(0).get("name").asText(), run[0].toString());
        assertEquals("start the hub on this machine", steps.get(4).get("name").asText(), run[0].toString());
        // Each member is told the address of this machine its own route comes to: the lab's bridge.
        final String bridge = lab.host(0).address().replaceAll("\\.[0-9]+$", ".");
        for (int i = 5; i <= 6; i++) {
            assertTrue(steps.get(i).get("detail").asText().contains("this machine is " + bridge), run[0].toString());
        }
        final JsonNode here = run[0].get("machines").get(0);
        assertEquals(List.of("here", "hub", RATE, PERIOD), List.of(here.get("peer").asText(), here.get("role")
                .asText(), here.get("sampleRate").asInt(), here.get("bufferSize").asInt()), here.toString());

        // lab-a plays the first turn and lab-c the second; each records the other's.
        final int[] on = {1, 3};
        final List<SignalProbe> probes = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            final String link = awaitLinkPort(jacks.get(on[n]), () -> "");
            final SignalProbe probe = SignalProbe.startTurns(jacks.get(on[n]).name(), "here", RECORD_FRAMES, n + 1,
                    SLOT, 2 * SLOT, List.of("here:out_1>" + link + ":send_1", link + ":receive_1>here:in_1"));
            open.add(probe);
            probes.add(probe);
        }
        for (int n = 0; n < 2; n++) {
            awaitReady(probes.get(n), jacks.get(on[n]));
        }
        Deadlines.await(Duration.ofSeconds(10), () -> System.nanoTime() - runningAt > SETTLED_NANOS,
                () -> "two and a half seconds of running");
        final long xrunsBefore = xruns(jacks);
        final long jacktripBefore = JacktripStats.receiveEvents(memberOutput(api, "here-band", 1));
        final long at = System.nanoTime() + 1_000_000_000L;
        final long[] origins = {probes.get(0).beginTurns(at), probes.get(1).beginTurns(at)};
        final float[][] heard = {probes.get(0).recording(Duration.ofSeconds(60))[0],
            probes.get(1).recording(Duration.ofSeconds(60))[0]};
        final long xruns = xruns(jacks) - xrunsBefore;
        final String stats = memberOutput(api, "here-band", 1);
        final long jacktripEvents = JacktripStats.receiveEvents(stats) - jacktripBefore;
        final String context = xruns + " xruns, " + jacktripEvents + " events counted by lab-c's jacktrip\nensemble: "
                + api.get("/api/lab/ensembles/here-band").body() + "\nthe hub here: "
                + api.get("/api/links/" + run[0].get("hubLink").asText()).body();
        for (int n = 0; n < 2; n++) {
            final int source = 2 - n;
            final int from = (int) (origins[n] + (long) (source - 1) * SLOT + (long) (UNJUDGED_SECONDS * RATE));
            final int to = (int) (origins[n] + (long) source * SLOT);
            final String what = NAMES[on[n]] + " hears " + NAMES[on[1 - n]] + " through the hub on this machine";
            final AudioJudge.Judgement j = AudioJudge.of(Arrays.copyOfRange(heard[n], from / PERIOD * PERIOD, to), 0,
                    AudioJudge.wire(source, 16), PERIOD, PERIOD, 0);
            System.out.println(what + " (" + xruns + " xruns): " + j.summary().lines().findFirst().orElse(""));
            if (n == 1) {
                j.assertAccounted(what, xruns + jacktripEvents, AudioJudge.JAMWIRE_PER_XRUN
                        + AudioJudge.JACKTRIP_PER_XRUN, context);
            } else {
                j.assertAccounted(what, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
            }
        }

        // The agent stops: the hub goes with it, so it stops the members first, and forgets the run.
        coordinator[0].close();
        Deadlines.await(Duration.ofSeconds(20), () -> jacks.stream().allMatch(j -> j.lsp().stream()
                .noneMatch(p -> p.endsWith(":send_1") && !p.startsWith("system:") && !p.startsWith("turns:")
                        && !p.startsWith("cut:") && !p.startsWith("here:"))),
                () -> "both members' ends, and the hub's clients, gone: " + jacks.stream().map(JackServer::lsp)
                        .toList());
        final JsonNode aLinks = AgentClient.JSON.readTree(curl(lab, dir, 1, "/api/links"));
        for (JsonNode l : aLinks) {
            assertTrue(Set.of("stopped", "failed").contains(l.path("state").asText()), "lab-a's agent runs no link: "
                    + aLinks);
        }
        coordinator[0] = AgentServer.start(settings);
        final JsonNode again = api.get("/api/lab/ensembles/here-band").json();
        assertTrue(again.get("run").isNull(), "the agent started again has nothing of it to find: " + again);
    }

    /**
     * The control path fails while lab-a plays on: first every ssh connection of the coordinator is
     * cut (the machines' sshd kill their sessions), and the coordinator connects again to every
     * machine; then its agent stops and starts again, and the new agent finds the hub and all three
     * members again within 10 s. lab-b (through its agent) and lab-c (jacktrip, detached on its
     * machine) hear lab-a through the hub sample for sample all along.
     */
    private static void cutTheControlPath(LabHosts lab, Path dir, AgentClient api, AgentSettings settings,
            AgentServer[] coordinator, List<JackServer> jacks, List<SshServer> sshds, List<AutoCloseable> open)
            throws Exception {
        final String linkA = awaitLinkPort(jacks.get(1), () -> "");
        final SignalProbe player = SignalProbe.startTurns(jacks.get(1).name(), "cut", CUT_FRAMES, 1, CUT_FRAMES, 0,
                List.of("cut:out_1>" + linkA + ":send_1"));
        open.add(player);
        // Source 2's turn never comes: lab-b and lab-c play silence, and record.
        final List<SignalProbe> ears = new ArrayList<>();
        for (int n = 2; n <= 3; n++) {
            final String link = awaitLinkPort(jacks.get(n), () -> "");
            final SignalProbe ear = SignalProbe.startTurns(jacks.get(n).name(), "cut", CUT_FRAMES, 2, CUT_FRAMES, 0,
                    List.of(link + ":receive_1>cut:in_1"));
            open.add(ear);
            ears.add(ear);
        }
        awaitReady(player, jacks.get(1));
        for (int i = 0; i < ears.size(); i++) {
            awaitReady(ears.get(i), jacks.get(i + 2));
        }
        final long xrunsBefore = xruns(jacks);
        final long jacktripBefore = JacktripStats.receiveEvents(memberOutput(api, 2));
        final long at = System.nanoTime() + 1_000_000_000L;
        player.beginTurns(at);
        final long[] judgedFrom = new long[2];
        for (int i = 0; i < 2; i++) {
            // A second of lab-a heard before the cut, past what the judge leaves out at the start.
            judgedFrom[i] = ears.get(i).beginTurns(at) + (long) (UNJUDGED_SECONDS * RATE);
        }
        awaitEars(ears, judgedFrom[0] + RATE, "a second into the judged part");

        int cut = 0;
        for (SshServer sshd : sshds) {
            cut += sshd.dropSessions();
        }
        assertTrue(cut >= 4, "the coordinator's ssh connections, one to each machine: " + cut);
        final JsonNode[] back = new JsonNode[1];
        Deadlines.await(Duration.ofSeconds(15), () -> {
            back[0] = api.get("/api/lab/ensembles/band").json().get("run");
            final String note = back[0].path("control").path("note").asText("");
            return note.contains("the ssh connection to lab-hub was lost, and is back")
                    && note.contains("the ssh connection to lab-a was lost, and is back")
                    && note.contains("the ssh connection to lab-b was lost, and is back")
                    && note.contains("the ssh connection to lab-c was lost, and is back: its jacktrip ran on,"
                            + " detached");
        }, () -> "the coordinator connected again: " + back[0]);
        assertEquals("running", back[0].get("state").asText(), back[0].toString());
        awaitEars(ears, ears.get(0).frame() + RATE, "a second after the cut");

        coordinator[0].close();
        final long restarting = System.nanoTime();
        // The agent started again watches lab-hub's JACK server, which is this machine's too: the
        // last part runs a hub in it.
        coordinator[0] = AgentServer.start(AgentSettings.defaults(settings.port(), settings.tokenFile(),
                jacks.get(0).name()));
        final JsonNode[] run = new JsonNode[1];
        Deadlines.await(Duration.ofSeconds(10), () -> {
            run[0] = api.get("/api/lab/ensembles/band").json().path("run");
            return run[0].isObject() && !"starting".equals(run[0].path("state").asText());
        }, () -> "the ensemble found again: " + run[0]);
        System.out.printf("the agent started again found the ensemble in %.1f s%n",
                (System.nanoTime() - restarting) / 1e9);
        final JsonNode steps = run[0].get("steps");
        assertEquals(List.of("find the hub again on lab-hub", "find lab-a's hub client again",
                "find lab-b's hub client again", "find lab-c's hub client again"), List.of(steps.get(0).get("name")
                        .asText(), steps.get(1).get("name").asText(), steps.get(2).get("name").asText(),
                        steps.get(3).get("name").asText()), run[0].toString());
        assertEquals("running", run[0].get("state").asText(), run[0].toString());
        assertTrue(steps.get(3).get("detail").asText().startsWith("jacktrip on lab-c, detached, runs"),
                run[0].toString());

        // And a second after the new agent found it.
        awaitEars(ears, ears.get(0).frame() + RATE, "a second after the ensemble was found again");
        player.endTurns();
        final float[][] heard = new float[2][];
        for (int i = 0; i < 2; i++) {
            ears.get(i).endTurns();
            heard[i] = ears.get(i).recording(Duration.ofSeconds(60))[0];
        }
        final long xruns = xruns(jacks) - xrunsBefore;
        final long jacktripEvents = JacktripStats.receiveEvents(awaitStatsLine(api)) - jacktripBefore;
        final long driftFixes = driftFixes(lab, dir, run[0]);
        final String context = xruns + " xruns, " + jacktripEvents + " events counted by lab-c's jacktrip, "
                + driftFixes + " periods resampled to follow a drift\nensemble: "
                + api.get("/api/lab/ensembles/band").body() + endsSay(lab, dir, run[0]);
        for (int i = 0; i < 2; i++) {
            final String what = NAMES[i + 2] + " hears lab-a while the control path is cut and the coordinator"
                    + " restarts";
            final int from = (int) judgedFrom[i];
            assertTrue(heard[i].length < CUT_FRAMES, NAMES[i + 2] + "'s probe recorded all through the restart: "
                    + heard[i].length + " frames, its capacity " + CUT_FRAMES);
            final AudioJudge.Judgement j = AudioJudge.of(Arrays.copyOfRange(heard[i], from / PERIOD * PERIOD,
                    heard[i].length), 0, AudioJudge.wire(1, 16), PERIOD, PERIOD, 0);
            System.out.println(what + " (" + xruns + " xruns, " + driftFixes + " drift corrections): "
                    + j.summary().lines().findFirst().orElse(""));
            if (i == 1) {
                j.assertAccounted(what, xruns + jacktripEvents, AudioJudge.JAMWIRE_PER_XRUN
                        + AudioJudge.JACKTRIP_PER_XRUN, context);
            } else {
                j.assertAccounted(what, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
            }
        }
    }

    /** Waits until {@code probe} is ready on {@code jack}; if it is not, says what the server printed. */
    private static void awaitReady(SignalProbe probe, JackServer jack) {
        try {
            probe.awaitReady(Duration.ofSeconds(30));
        } catch (AssertionError e) {
            final String out = jack.output();
            throw new AssertionError(e.getMessage() + "\njackd " + jack.name() + " (" + jack.lsp().size()
                    + " ports) printed last:\n" + out.substring(Math.max(0, out.length() - 3000)), e);
        }
    }

    /** Waits until every probe has recorded past {@code frame} (they began together, within frames). */
    private static void awaitEars(List<SignalProbe> ears, long frame, String what) {
        for (SignalProbe ear : ears) {
            Deadlines.await(Duration.ofSeconds(10), () -> ear.frame() > frame, () -> "the probe " + what + ": "
                    + ear.output());
        }
    }

    /**
     * lab-c's jacktrip's output once it holds a statistics line newer than now (one comes every
     * second, and the coordinator reads the member's log every 2 s): what it counts covers
     * everything played up to now.
     */
    private static String awaitStatsLine(AgentClient api) {
        final String seen = JacktripStats.lastLine(memberOutput(api, 2));
        final String[] now = new String[1];
        Deadlines.await(Duration.ofSeconds(10), () -> {
            now[0] = memberOutput(api, 2);
            return !JacktripStats.lastLine(now[0]).equals(seen) && !JacktripStats.lastLine(now[0]).isEmpty();
        }, () -> "a statistics line from lab-c's jacktrip after " + seen + ": " + now[0]);
        final String[] later = new String[1];
        // The line that was newest may have been printed before now: one more covers now.
        Deadlines.await(Duration.ofSeconds(10), () -> {
            later[0] = memberOutput(api, 2);
            return !JacktripStats.lastLine(later[0]).equals(JacktripStats.lastLine(now[0]));
        }, () -> "a second statistics line from lab-c's jacktrip after " + seen + ": " + later[0]);
        return later[0];
    }

    /** The JACK client of the member's hub client on {@code jack}: the one with a send port. */
    private static String awaitLinkPort(JackServer jack, Supplier<String> context) {
        final String[] found = new String[1];
        Deadlines.await(Duration.ofSeconds(20), () -> {
            for (String p : jack.lsp()) {
                if (p.endsWith(":send_1") && !p.startsWith("system:") && !p.startsWith("turns:")
                        && !p.startsWith("cut:") && !p.startsWith("here:")) {
                    found[0] = p.substring(0, p.length() - ":send_1".length());
                    return true;
                }
            }
            return false;
        }, () -> "a hub client's ports on " + jack.name() + ": " + jack.lsp() + context.get());
        return found[0];
    }

    /**
     * What the agents say of the ensemble's links, read from each as a user there would, with curl:
     * the hub's clients' non-zero counters, each JamWire member's, and every link's events. The
     * judges' failures carry it, so that a lost period can be traced to its cause.
     */
    private static String endsSay(LabHosts lab, Path dir, JsonNode run) {
        final StringBuilder b = new StringBuilder();
        final List<String> links = new ArrayList<>();
        links.add(run.path("hubLink").asText(""));
        for (int n = 0; n < 2; n++) {
            links.add(run.path("members").path(n).path("link").asText(""));
        }
        for (int i = 0; i < 3; i++) {
            b.append("\n").append(NAMES[i]).append("'s agent, link ").append(links.get(i)).append(": ");
            try {
                final JsonNode view = linkView(lab, dir, i, links.get(i));
                b.append(view.path("state").asText()).append(", xruns ").append(view.path("xruns").asLong());
                b.append(nonZero(view.path("counters")));
                for (JsonNode c : view.path("clients")) {
                    b.append("\n  client ").append(c.path("name").asText()).append(" ")
                            .append(c.path("state").asText()).append(nonZero(c.path("counters")));
                }
                for (JsonNode e : view.path("events")) {
                    b.append("\n  ").append(e.path("time").asText()).append(" ").append(e.path("kind").asText())
                            .append(": ").append(e.path("message").asText());
                }
            } catch (IOException e) {
                b.append("unreadable: ").append(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }

    /** Link {@code link} as the agent on lab host {@code i} shows it, read as a user there would, with curl. */
    private static JsonNode linkView(LabHosts lab, Path dir, int i, String link) throws IOException,
            InterruptedException {
        return AgentClient.JSON.readTree(curl(lab, dir, i, "/api/links/" + link));
    }

    /** What the agent on lab host {@code i} answers a GET of {@code path} with, read with curl there. */    private static String curl(LabHosts lab, Path dir, int i, String path) throws IOException,
            InterruptedException {
        final Process p = new ProcessBuilder(lab.host(i).on(List.of("curl", "-sS", "--max-time", "5", "-H",
                "Authorization: Bearer " + Files.readString(dir.resolve("token-" + i)).strip(),
                "http://127.0.0.1:8464" + path))).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /**
     * The periods the JamWire ends resampled to follow a drift they measured ({@code drift_fix}):
     * the hub's clients' and both JamWire members', for the judges' reports.
     */
    private static long driftFixes(LabHosts lab, Path dir, JsonNode run) throws IOException, InterruptedException {
        long fixes = 0;
        for (int i = 0; i < 3; i++) {
            final String link = i == 0 ? run.path("hubLink").asText("") : run.path("members").path(i - 1)
                    .path("link").asText("");
            final JsonNode view = linkView(lab, dir, i, link);
            fixes += view.path("counters").path("drift_fix").asLong(0);
            for (JsonNode c : view.path("clients")) {
                fixes += c.path("counters").path("drift_fix").asLong(0);
            }
        }
        return fixes;
    }

    private static String nonZero(JsonNode counters) {
        final StringBuilder b = new StringBuilder();
        counters.properties().forEach(f -> {
            if (f.getValue().isNumber() && f.getValue().asDouble() != 0) {
                b.append(", ").append(f.getKey()).append(" ").append(f.getValue().asText());
            }
        });
        return b.toString();
    }

    private static long xruns(List<JackServer> jacks) {
        return jacks.stream().mapToLong(JackServer::xruns).sum();
    }

    private static String memberOutput(AgentClient api, int member) {
        return memberOutput(api, "band", member);
    }

    private static String memberOutput(AgentClient api, String ensemble, int member) {
        return api.get("/api/lab/ensembles/" + ensemble).json().get("run").get("members").get(member).get("output")
                .asText();
    }
}
