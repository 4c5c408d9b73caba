package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.Program;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub server link started through the agent's API on a JACK server (dummy driver), with three real
 * {@code jacktrip -C} clients (1.7), each on a JACK server of its own with a {@code -K} name: the API
 * lists them by name with their counters moving, the feed's {@code hub:ID} topic brings each one's
 * counters and meters, and a client interrupted (jacktrip then sends the stop packet) leaves the
 * list and the feed at once, well before the hub's 10 s idle limit.
 */
@Tag("integration")
class AgentHubTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int TCP_PORT = 26_464;
    private static final int UDP_BASE = 26_470;
    private static final int CLIENT_UDP = 26_480;
    private static final List<String> NAMES = List.of("alice", "bob", "carol");

    @TempDir
    Path dir;

    @Test
    void jacktrip_clients_of_an_agent_hub_are_listed_with_moving_counters_and_leave_on_their_stop_packet()
            throws Exception {
        final List<JackServer> servers = new ArrayList<>();
        final List<Program> clients = new ArrayList<>();
        try (JackServer h = JackServer.start(RATE, PERIOD, 2, 2);
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"), h.name()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            final AgentClient.Response started = api.post("/api/links", "{\"mode\": \"hubserver\", \"options\":"
                    + " {\"bindport\": " + TCP_PORT + ", \"udpbaseport\": " + UDP_BASE + ", \"hubpatch\": \"2\"}}");
            assertEquals(201, started.status(), started.body());
            final String id = started.json().get("id").asText();
            try (AgentClient.Feed feed = api.feed(api.origin())) {
                feed.send("{\"type\": \"auth\", \"token\": \"" + agent.token().value() + "\"}");
                feed.await(m -> m.get("type").asText().equals("hello"), Duration.ofSeconds(5), "hello");
                feed.send("{\"type\": \"subscribe\", \"topics\": [\"events\", \"hub:" + id + "\"], \"rateHz\": 10}");

                for (int i = 0; i < NAMES.size(); i++) {
                    final JackServer c = JackServer.start(RATE, PERIOD, 2, 2);
                    servers.add(c);
                    clients.add(Program.jacktrip(c.name(), "-C", "127.0.0.1", "-P", Integer.toString(TCP_PORT),
                            "-B", Integer.toString(CLIENT_UDP + i), "-K", NAMES.get(i), "-J", "jt", "-n", "2",
                            "-q", "4", "-D"));
                }

                // The feed's client list: every name, each streaming. Meters come once a client streams, and
                // again only when they change: silence here, so once.
                final Set<String> metered = new TreeSet<>();
                feed.await(m -> metered(m, metered) && m.get("type").asText().equals("clients") && streaming(m.get("clients"))
                        .equals(new TreeSet<>(NAMES)), Duration.ofSeconds(20), () -> "all three streaming; clients: "
                        + clientOutput(clients) + "\nlink: " + api.get("/api/links/" + id).body());

                // Each client's counters on the feed, received datagrams going up.
                final Map<String, Long> firstRecv = new HashMap<>();
                final Map<String, Long> lastRecv = new HashMap<>();
                feed.await(m -> {
                    metered(m, metered);
                    if (m.get("type").asText().equals("counters") && m.has("client") && m.get("values").has("recv")) {
                        final String name = m.get("name").asText();
                        final long recv = m.get("values").get("recv").asLong();
                        firstRecv.putIfAbsent(name, recv);
                        lastRecv.put(name, recv);
                    }
                    return NAMES.stream().allMatch(n -> lastRecv.getOrDefault(n, 0L) > firstRecv.getOrDefault(n, 0L))
                            && metered.equals(new TreeSet<>(NAMES));
                }, Duration.ofSeconds(10), () -> "each client's recv rising on the feed: " + firstRecv + " -> " + lastRecv
                        + ", and each one's meters: " + metered);

                // The API lists them by name, address, ports, slot, state and counters, which move.
                final JsonNode before = api.get("/api/links/" + id + "/clients").json();
                assertEquals(new TreeSet<>(NAMES), names(before), before.toString());
                final Set<Integer> udpPorts = new TreeSet<>();
                for (JsonNode c : before) {
                    assertEquals("connected", c.get("state").asText(), c.toString());
                    assertEquals("127.0.0.1", c.get("address").asText(), c.toString());
                    assertEquals(UDP_BASE + c.get("slot").asInt(), c.get("udpPort").asInt(), c.toString());
                    assertEquals(CLIENT_UDP + NAMES.indexOf(c.get("name").asText()), c.get("clientPort").asInt());
                    assertTrue(c.get("uptimeSeconds").asDouble() > 0, c.toString());
                    udpPorts.add(c.get("udpPort").asInt());
                }
                assertEquals(Set.of(UDP_BASE, UDP_BASE + 1, UDP_BASE + 2), udpPorts);
                Deadlines.await(Duration.ofSeconds(5), () -> {
                    final JsonNode now = api.get("/api/links/" + id + "/clients").json();
                    for (JsonNode c : now) {
                        final JsonNode was = byName(before, c.get("name").asText());
                        if (c.get("counters").get("sent").asLong() <= was.get("counters").get("sent").asLong()
                                || c.get("counters").get("recv").asLong() <= was.get("counters").get("recv").asLong()) {
                            return false;
                        }
                    }
                    return true;
                }, () -> "every client's sent and recv going up in the API");
                final JsonNode link = api.get("/api/links/" + id).json();
                assertEquals("connected", link.get("state").asText(), link.toString());
                assertEquals(3, link.get("hub").get("clients").asInt(), link.toString());
                assertEquals(3, link.get("counters").get("streaming").asInt(), link.toString());

                // bob is interrupted: jacktrip sends the stop packet, and bob leaves at once.
                final long interruptedAt = System.nanoTime();
                clients.get(1).interrupt();
                final List<JsonNode> leaving = new ArrayList<>();
                final boolean[] listedWithoutBob = {false};
                feed.await(m -> {
                    if (m.get("type").asText().equals("event") && m.get("kind").asText().equals("client_left")
                            && m.get("client").get("name").asText().equals("bob")) {
                        leaving.add(m);
                    }
                    if (m.get("type").asText().equals("clients")
                            && names(m.get("clients")).equals(Set.of("alice", "carol"))) {
                        listedWithoutBob[0] = true;
                    }
                    return !leaving.isEmpty() && listedWithoutBob[0];
                }, Duration.ofSeconds(8), () -> "bob's client_left event and the list without bob; bob: "
                        + clients.get(1).output());
                assertTrue(leaving.get(0).get("message").asText().startsWith("bob (slot "), leaving.toString());
                assertTrue(Duration.ofNanos(System.nanoTime() - interruptedAt).toSeconds() < 8,
                        "left on its stop packet, not the 10 s idle limit");
                assertEquals(Set.of("alice", "carol"), names(api.get("/api/links/" + id + "/clients").json()));
                final String events = api.get("/api/links/" + id).json().get("events").toString();
                assertTrue(events.contains("client_joined") && events.contains("client_streaming"), events);

                assertEquals("stopped", api.delete("/api/links/" + id).json().get("state").asText());
            }
        } finally {
            for (Program p : clients) {
                p.close();
            }
            for (JackServer s : servers) {
                s.close();
            }
        }
    }

    /** Notes the client a meters message with two channels each way is about; always true. */
    private static boolean metered(JsonNode m, Set<String> metered) {
        if (m.get("type").asText().equals("meters") && m.has("client") && m.get("send").get("peak").size() == 2
                && m.get("receive").get("rms").size() == 2) {
            metered.add(m.get("name").asText());
        }
        return true;
    }

    @Test
    void a_hub_client_link_from_the_api_streams_with_a_jacktrip_hub_and_leaves_it_on_stop() throws Exception {
        try (JackServer hubJack = JackServer.start(RATE, PERIOD, 2, 2);
             JackServer mine = JackServer.start(RATE, PERIOD, 2, 2);
             Program hub = Program.jacktrip(hubJack.name(), "-S", "-p", "5", "-B", Integer.toString(TCP_PORT + 1),
                     "-U", Integer.toString(UDP_BASE + 50), "-q", "4", "-D");
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"), mine.name()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            final AgentClient.Response started = api.post("/api/links", "{\"mode\": \"hubclient\", \"host\":"
                    + " \"127.0.0.1\", \"options\": {\"peerport\": " + (TCP_PORT + 1) + ", \"bindport\": "
                    + (CLIENT_UDP + 50) + ", \"remotename\": \"agentclient\", \"clientname\": \"tohub\","
                    + " \"nojackportsconnect\": true}}");
            assertEquals(201, started.status(), started.body() + "\nhub: " + hub.output());
            final String id = started.json().get("id").asText();
            assertEquals("hubclient", started.json().get("mode").asText());
            assertEquals(UDP_BASE + 50, started.json().get("hubPort").asInt(), started.body());
            assertEquals("jamwire --pingtoserver 127.0.0.1 --peerport " + (TCP_PORT + 1) + " --bindport "
                    + (CLIENT_UDP + 50) + " --remotename agentclient --clientname tohub --nojackportsconnect",
                    started.json().get("commandLine").asText());
            Deadlines.await(Duration.ofSeconds(10), () -> hubJack.lsp().contains("agentclient:receive_2"),
                    () -> "the hub's ports for the agent's client: " + hubJack.lsp() + "\n" + hub.output());
            Deadlines.await(Duration.ofSeconds(10), () -> api.get("/api/links/" + id).json().get("state").asText()
                    .equals("connected"), () -> "connected: " + api.get("/api/links/" + id).body());
            final long recv = api.get("/api/links/" + id + "/counters").json().get("recv").asLong();
            Deadlines.await(Duration.ofSeconds(5), () -> api.get("/api/links/" + id + "/counters").json().get("recv")
                    .asLong() > recv, () -> "datagrams from the hub");
            assertEquals("stopped", api.delete("/api/links/" + id).json().get("state").asText());
            Deadlines.await(Duration.ofSeconds(5), () -> !hubJack.lsp().contains("agentclient:receive_2"),
                    () -> "the hub dropping the client on its stop packet: " + hubJack.lsp() + "\n" + hub.output());
        }
    }

    private static Set<String> streaming(JsonNode clients) {
        final Set<String> names = new TreeSet<>();
        for (JsonNode c : clients) {
            if (c.get("state").asText().equals("connected")) {
                names.add(c.get("name").asText());
            }
        }
        return names;
    }

    private static Set<String> names(JsonNode clients) {
        final Set<String> names = new TreeSet<>();
        clients.forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    private static JsonNode byName(JsonNode clients, String name) {
        for (JsonNode c : clients) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no client " + name + " in " + clients);
    }

    private static String clientOutput(List<Program> clients) {
        final StringBuilder s = new StringBuilder();
        for (Program p : clients) {
            s.append("\n---\n").append(p.output());
        }
        return s.toString();
    }
}
