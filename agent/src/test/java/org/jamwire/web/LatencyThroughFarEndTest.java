package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jamwire.netsim.Impairment;
import org.jamwire.netsim.Relay;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.Program;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency test over HTTP with real JACK servers (dummy driver) at both ends: the agent's link
 * here is a client of a JamWire server on another JACK server, whose receive port is looped to its
 * send port with jack_connect, as the coordinator will loop it. Answered with no_echo while the far
 * end is not looped yet; then measured straight over loopback, and through the netsim relay with a
 * fixed delay each way.
 *
 * <p>Where the round trip goes, with both servers at the same rate and period and some phase
 * between their cycles:
 * <ul>
 *   <li>In each receive queue a packet waits as many cycles as the queue holds periods after a
 *       pull: its level after a pull, in frames. A fixed queue fills to QUEUE periods before it
 *       plays, so that is QUEUE - 1 periods at first; a cycle the other end misses (an xrun)
 *       leaves it a period lower, a burst a period higher (above QUEUE + 2 periods before a pull
 *       it drops audio), until drift correction brings it back. So the levels are read, not
 *       assumed.</li>
 *   <li>The far end's loop: JACK hands an input the buffer of the output connected to it, so the
 *       far end's send port reads in one cycle what its receive port played in the one before: a
 *       period.</li>
 *   <li>Waiting for the other end's next cycle: 0 to a period each way, together a whole number
 *       of periods, 1 as a rule; 0 or 2 when a packet lands while the other end's callback runs
 *       (it receives once more right after it sends).</li>
 * </ul>
 * The far end prints its statistics every second (-I 1), for its queue's level.
 */
@Tag("integration")
@Tag("quiet")
class LatencyThroughFarEndTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    /** A fixed queue at both ends: an automatic one would move the round trip as it adapts. */
    private static final int QUEUE = 2;
    /**
     * The relay's delay each way: two periods, 10.7 ms. A whole number of periods keeps packets
     * landing at the same point of the other end's cycle as without the relay, so that the delay
     * adds as it is instead of rounded to a period one way or the other.
     */
    private static final int DELAY_FRAMES = 2 * PERIOD;
    private static final Duration START = Duration.ofSeconds(30);
    private static final Pattern LEVEL = Pattern.compile(" level_frames=([0-9]+) ");
    private static final int LEVEL_READS = 15;

    @TempDir
    Path dir;

    /** Measurements over one path, and both receive queues' levels after a pull, in frames. */
    private record Measured(List<Integer> frames, int nearLevel, int farLevel) {
        /** A measurement less the time in both queues: the far end's loop and the cycle waits. */
        int beyondQueues(int i) {
            return frames.get(i) - nearLevel - farLevel;
        }

        @Override
        public String toString() {
            return frames + " frames (queue levels here " + nearLevel + ", there " + farLevel + ")";
        }
    }

    @Test
    void measures_the_round_trip_through_a_looped_far_end_and_the_relays_delay_adds_to_it() throws Exception {
        try (JackServer here = JackServer.start(RATE, PERIOD, 1, 1);
             JackServer there = JackServer.start(RATE, PERIOD, 1, 1);
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"), here.name()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            final Measured direct;
            final long directXruns;
            final int farPort = FreePorts.udp();
            try (Program far = farServer(there, "far1", farPort)) {
                final String link = startNear(api, "near1", farPort);

                // Not looped yet: the far end sends back its own send port, silent.
                final long start = System.nanoTime();
                final AgentClient.Response none = api.post("/api/links/" + link + "/latency", "{\"timeoutMs\": 500}");
                final long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(422, none.status(), none.body());
                assertEquals("no_echo", none.json().get("error").asText());
                assertTrue(none.json().get("message").asText().contains("loop the far end's receive ports to its"
                        + " send ports"), none.body());
                assertTrue(millis >= 500 && millis < 1_500, "no_echo after " + millis + " ms");

                JackServer.connect(there.name(), "far1:receive_1", "far1:send_1");
                final long xrunsBefore = here.xruns() + there.xruns();
                direct = measure(api, link, far, 3);
                // An xrun while measuring or reading the levels can move a queue by a period
                // between the two (see above).
                final long measuredXruns = here.xruns() + there.xruns() - xrunsBefore;
                directXruns = measuredXruns;
                final String context = "direct: " + direct + "; xruns here=" + here.xruns() + " there="
                        + there.xruns() + "\nhere: " + api.get("/api/links/" + link + "/counters").body()
                        + "\nthere:\n" + far.output();
                System.out.println("latency through the looped far end: " + direct);
                final int min = direct.frames().stream().min(Comparator.naturalOrder()).orElseThrow();
                final int max = direct.frames().stream().max(Comparator.naturalOrder()).orElseThrow();
                assertTrue(max - min <= PERIOD, "three runs differ by more than a period: " + context);
                // What the settings allow: each queue between empty and QUEUE + 1 periods after a
                // pull, the far end's loop, and 0 to 2 periods of waiting for the next cycle. An
                // xrun at one end leaves the queue there a period fuller (its clock lost a period)
                // until it skips the surplus, up to a second later.
                final long xruns = here.xruns() + there.xruns();
                for (int level : List.of(direct.nearLevel(), direct.farLevel())) {
                    assertTrue(level >= 0 && level <= (QUEUE + 1 + xruns) * PERIOD, "queue level " + level + ": "
                            + context);
                }
                assertTrue(min >= PERIOD && max <= (2 * (QUEUE + 1 + xruns) + 1 + 2) * PERIOD, context);
                // And with the queues as they are: no shorter than the far end's loop and both
                // queues, at most two periods of cycle waits longer.
                for (int i = 0; i < direct.frames().size(); i++) {
                    assertTrue(direct.beyondQueues(i) >= PERIOD - measuredXruns * PERIOD
                            && direct.beyondQueues(i) <= (3 + measuredXruns) * PERIOD,
                            direct.beyondQueues(i) + " frames beyond both queues, " + measuredXruns
                                    + " xruns while measuring: " + context);
                }
                api.delete("/api/links/" + link);
            }

            final int relayedPort = FreePorts.udp();
            final long delayMicros = Math.round(DELAY_FRAMES * 1e6 / RATE);
            try (Program far = farServer(there, "far2", relayedPort);
                 Relay relay = Relay.start(0, new InetSocketAddress("127.0.0.1", relayedPort),
                         Impairment.none().withDelay(delayMicros, 0))) {
                final String link = startNear(api, "near2", relay.localPort());
                JackServer.connect(there.name(), "far2:receive_1", "far2:send_1");
                final long xrunsBefore = here.xruns() + there.xruns();
                final Measured delayed = measure(api, link, far, 1);
                final long measuredXruns = here.xruns() + there.xruns() - xrunsBefore;
                final int raw = delayed.frames().get(0) - direct.frames().get(direct.frames().size() - 1);
                final int added = delayed.beyondQueues(0) - direct.beyondQueues(direct.frames().size() - 1);
                final String context = "direct " + direct + ", through the relay " + delayed + "; xruns here="
                        + here.xruns() + " there=" + there.xruns() + "\nhere: "
                        + api.get("/api/links/" + link + "/counters").body() + "\nthere:\n" + far.output();
                System.out.println("latency with " + delayMicros + " us each way added: direct " + direct
                        + ", through the relay " + delayed + ": " + raw + " frames more, " + added
                        + " beyond the queues; expected " + 2 * DELAY_FRAMES);
                // The queues' levels are taken out (a missed cycle can leave one a period off, see
                // above); what is left must meet the bounds every direct run meets, the far end's
                // loop plus one to three periods of cycle waits, with the delay both ways added.
                // Not against one direct run: each lands anywhere in those bounds on its own, and
                // an xrun while it was measured moves it further.
                final int beyond = delayed.beyondQueues(0);
                final long low = PERIOD + 2L * DELAY_FRAMES - measuredXruns * PERIOD;
                final long high = (3 + measuredXruns) * PERIOD + 2L * DELAY_FRAMES;
                assertTrue(beyond >= low && beyond <= high, "through the relay " + beyond + " frames beyond the"
                        + " queues, not " + low + " to " + high + " (the direct runs' bounds plus " + 2 * DELAY_FRAMES
                        + "; " + measuredXruns + " and " + directXruns + " xruns while measuring): " + context);
            }
        }
    }

    /** A JamWire server on {@code jack} with one channel each way and a fixed queue, not connected to system ports. */
    private static Program farServer(JackServer jack, String name, int port) throws Exception {
        final Program far = Program.jamwire(jack.name(), "-s", "-n", "1", "-q", Integer.toString(QUEUE), "-B",
                Integer.toString(port), "-J", name, "-D", "--jack-server", jack.name(), "-I", "1");
        Deadlines.await(START, () -> jack.lsp().contains(name + ":send_1"),
                () -> "the far end's ports on " + jack + ":\n" + far.output());
        return far;
    }

    /** Starts this end's link as a client of {@code port} and waits until it is connected. */
    private static String startNear(AgentClient api, String name, int port) throws Exception {
        final AgentClient.Response r = api.post("/api/links", "{\"mode\": \"client\", \"host\": \"127.0.0.1\","
                + " \"options\": {\"numchannels\": 1, \"queue\": " + QUEUE + ", \"buffersize\": " + PERIOD
                + ", \"nojackportsconnect\": true, \"clientname\": \"" + name + "\", \"bindport\": "
                + FreePorts.udp() + ", \"peerport\": " + port + "}}");
        assertEquals(201, r.status(), r.body());
        final String id = r.json().get("id").asText();
        Deadlines.await(START, () -> api.get("/api/links/" + id).json().get("state").asText().equals("connected"),
                () -> "link " + id + " connected: " + api.get("/api/links/" + id).body());
        return id;
    }

    /**
     * {@code runs} latency tests on channel 1, each answer's shape checked, and both queues' levels
     * read after them. A level read while packets land right at a cycle's start can be a period
     * off, so each is the most frequent of several reads: this end's from {@value #LEVEL_READS}
     * reads of its counters, the far end's from the next three lines it prints.
     */
    private static Measured measure(AgentClient api, String link, Program far, int runs) {
        final List<Integer> frames = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            final AgentClient.Response r = api.post("/api/links/" + link + "/latency", "{\"channel\": 1,"
                    + " \"timeoutMs\": 2000}");
            assertEquals(200, r.status(), r.body() + "\nfar end:\n" + far.output());
            final JsonNode v = r.json();
            final int f = v.get("frames").asInt();
            assertEquals(RATE, v.get("sampleRate").asInt());
            assertEquals(PERIOD, v.get("periodFrames").asInt());
            assertEquals(1, v.get("channel").asInt());
            assertEquals(Math.round(f * 100_000.0 / RATE) / 100.0, v.get("ms").asDouble(), 1e-9, r.body());
            assertTrue(v.get("confidence").asDouble() >= 4, r.body());
            System.out.println("latency test: " + r.body());
            frames.add(f);
        }
        final List<Integer> near = new ArrayList<>();
        for (int i = 0; i < LEVEL_READS; i++) {
            near.add(api.get("/api/links/" + link + "/counters").json().get("level_frames").asInt());
        }
        final int printed = levels(far).size();
        Deadlines.await(Duration.ofSeconds(10), () -> levels(far).size() >= printed + 3,
                () -> "three statistics lines from the far end:\n" + far.output());
        final List<Integer> there = levels(far);
        return new Measured(frames, mostFrequent(near), mostFrequent(there.subList(there.size() - 3, there.size())));
    }

    private static int mostFrequent(List<Integer> values) {
        final Map<Integer, Long> counts = values.stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** The queue levels in the far end's statistics lines, oldest first. */
    private static List<Integer> levels(Program far) {
        return far.output().lines().map(LEVEL::matcher).filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1))).toList();
    }
}
