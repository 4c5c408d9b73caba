package org.jamwire.jack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.AudioSpec;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class JackBackendTest {

    private static final int RATE = 48_000;
    private static final int FRAMES = 256;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Copies send_c to receive_c. */
    private static final AudioProcessor COPY = (inputs, outputs, frames) -> {
        for (int c = 0; c < outputs.length; c++) {
            System.arraycopy(inputs[c], 0, outputs[c], 0, frames);
        }
    };

    private static JackServer server;

    @BeforeAll
    static void startServer() {
        server = JackServer.start(RATE, FRAMES, 2, 2);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static JackSession open(String name, int sends, int receives, boolean autoConnect) throws AudioBackendException {
        return new JackBackend(server.name()).open(new AudioSpec(name, sends, receives, autoConnect), COPY);
    }

    @Test
    void reports_the_servers_sample_rate_and_buffer_size() throws Exception {
        try (JackSession session = open("rate", 1, 1, false)) {
            assertEquals(RATE, session.sampleRate());
            assertEquals(FRAMES, session.bufferSize());
            assertEquals("rate", session.clientName());
            assertTrue(session.isAlive());
            assertNull(session.shutdownReason());
        }
    }

    @Test
    void registers_send_ports_as_inputs_and_receive_ports_as_outputs() throws Exception {
        try (JackSession session = open("ports", 3, 2, false)) {
            final List<String> properties = server.lsp("-p");
            assertEquals(List.of("ports:send_1", "ports:send_2", "ports:send_3", "ports:receive_1", "ports:receive_2"),
                    properties.stream().filter(line -> line.startsWith(session.clientName() + ":")).toList());
            for (final String port : List.of("ports:send_1", "ports:send_2", "ports:send_3")) {
                assertTrue(propertiesOf(properties, port).startsWith("input,"), port + " " + propertiesOf(properties, port));
            }
            for (final String port : List.of("ports:receive_1", "ports:receive_2")) {
                assertTrue(propertiesOf(properties, port).startsWith("output,"), port + " " + propertiesOf(properties, port));
            }
        }
        assertTrue(server.lsp().stream().noneMatch(line -> line.startsWith("ports:")), "ports stay after close");
    }

    private static String propertiesOf(List<String> lspProperties, String port) {
        return lspProperties.get(lspProperties.indexOf(port) + 1).trim().replace("properties: ", "");
    }

    @Test
    void passes_audio_through_bit_exact() throws Exception {
        try (JackSession session = open("loop", 2, 2, false);
                JackSignalClient signal = JackSignalClient.open(server, "signal", 2, 2, 10 * RATE)) {
            session.start();
            final long xrunsBefore = server.xruns();
            for (int c = 1; c <= 2; c++) {
                signal.connect(signal.output(c), "loop:send_" + c);
                signal.connect("loop:receive_" + c, signal.input(c));
            }
            signal.awaitFrames(signal.frames() + 2L * RATE, TIMEOUT);
            final float[][] recorded = {signal.recording(1), signal.recording(2)};
            // A client late for its cycle (an xrun the server reports) can leave a period not copied.
            // jackd prints an xrun after the cycle it spoilt: the periods recorded last are judged
            // once the server has run half a second more, so their xruns have been reported.
            signal.awaitFrames(signal.frames() + RATE / 2, TIMEOUT);
            final long xruns = server.xruns() - xrunsBefore;
            for (int c = 1; c <= 2; c++) {
                final AudioJudge.Judgement j = AudioJudge.of(recorded[c - 1], 0, AudioJudge.wire(c, 32), FRAMES,
                        FRAMES, 0);
                j.assertAccounted("channel " + c, xruns, 1, "through the backend's copy, " + xruns + " xruns");
                assertTrue(j.periods() * FRAMES >= RATE, "judged only " + j.summary());
            }
            assertEquals(0, session.processorFailures());
        }
    }

    @Test
    void closing_ends_the_process_thread_before_the_client_goes() throws Exception {
        final JackSession session = open("ending", 1, 1, false);
        session.start();
        Deadlines.await(TIMEOUT, () -> session.periods() > 10, () -> "no periods");
        session.close();
        // libjack cancels a process thread that is still running when its client closes; one that
        // ended itself is never cancelled in the middle of a callback.
        assertTrue(session.processThreadEnded(), "the process thread still runs after close");
        assertTrue(server.lsp().stream().noneMatch(line -> line.startsWith("ending:")), "ports stay after close");
    }

    @Test
    void each_client_maps_the_futex_the_server_signals_for_it() throws Exception {
        final long client = JackBackend.openClient(server.name(), "futex");
        try {
            final Path file = Path.of("/dev/shm", ClientSynchro.futexFileName(server.name(), "futex"));
            assertTrue(Files.exists(file), "jackd2 made no futex file " + file + ": the check would check nothing");
            assertTrue(ClientSynchro.ready(client, server.name()));
        } finally {
            JackBackend.closeClient(client);
        }
    }

    @Test
    void a_client_left_on_an_earlier_futex_is_found_out() throws Exception {
        final long client = JackBackend.openClient(server.name(), "earlier");
        final Path file = Path.of("/dev/shm", ClientSynchro.futexFileName(server.name(), "earlier"));
        final Path aside = file.resolveSibling(file.getFileName() + ".aside");
        try {
            // The process keeps mapping the file it opened, while the name now leads to another one:
            // what a client sees when libjack kept the futex of an earlier client of its name or refnum.
            Files.move(file, aside);
            Files.createFile(file);
            assertFalse(ClientSynchro.ready(client, server.name()));
            Files.delete(file);
            Files.move(aside, file);
            assertTrue(ClientSynchro.ready(client, server.name()));
        } finally {
            Files.deleteIfExists(aside);
            JackBackend.closeClient(client);
        }
    }

    @Test
    void clients_opened_while_other_clients_come_and_go_all_run() throws Exception {
        // A hub keeps a watching client open and opens a client per peer, while tools such as
        // jack_lsp open and close clients of their own: each new client must be run by the server.
        final AtomicBoolean churning = new AtomicBoolean(true);
        final AtomicInteger listings = new AtomicInteger();
        final Thread churn = new Thread(() -> {
            while (churning.get()) {
                server.lsp();
                listings.incrementAndGet();
            }
        }, "jack_lsp churn");
        try (JackGraph watcher = JackGraph.open(server.name(), "watcher")) {
            assertTrue(watcher.isAlive());
            churn.start();
            for (int i = 0; i < 25; i++) {
                try (JackSession session = open("churn" + (i % 3), 1, 1, false)) {
                    session.start();
                    final int round = i;
                    Deadlines.await(TIMEOUT, () -> session.periods() > 2,
                            () -> "client " + session.clientName() + " of round " + round + " never ran ("
                                    + listings.get() + " jack_lsp runs so far)");
                }
            }
        } finally {
            churning.set(false);
            churn.join();
        }
        assertTrue(listings.get() > 5, "jack_lsp ran only " + listings.get() + " times beside the clients");
    }

    @Test
    void follows_a_buffer_size_change() throws Exception {
        final AtomicInteger largestPeriod = new AtomicInteger();
        final AtomicInteger shortArrays = new AtomicInteger();
        final AudioProcessor watcher = (inputs, outputs, frames) -> {
            largestPeriod.accumulateAndGet(frames, Math::max);
            if (inputs[0].length < frames || outputs[0].length < frames) {
                shortArrays.incrementAndGet();
            }
            COPY.process(inputs, outputs, frames);
        };
        try (JackSession session = new JackBackend(server.name()).open(new AudioSpec("resize", 1, 1, false), watcher)) {
            session.start();
            Deadlines.await(TIMEOUT, () -> session.periods() > 10, () -> "no periods");
            server.setBufferSize(4 * FRAMES);
            try {
                Deadlines.await(TIMEOUT, () -> largestPeriod.get() == 4 * FRAMES, () -> "largest period " + largestPeriod);
                assertEquals(4 * FRAMES, session.bufferSize());
                assertEquals(0, shortArrays.get());
            } finally {
                server.setBufferSize(FRAMES);
            }
            Deadlines.await(TIMEOUT, () -> session.bufferSize() == FRAMES, () -> "buffer size " + session.bufferSize());
        }
    }

    @Test
    void auto_connect_connects_as_many_system_ports_as_exist() throws Exception {
        try (JackSession session = open("auto", 3, 3, true)) {
            session.start();
            assertEquals(Set.of("system:capture_1"), server.connections("auto:send_1"));
            assertEquals(Set.of("system:capture_2"), server.connections("auto:send_2"));
            assertEquals(Set.of(), server.connections("auto:send_3"));
            assertEquals(Set.of("system:playback_1"), server.connections("auto:receive_1"));
            assertEquals(Set.of("system:playback_2"), server.connections("auto:receive_2"));
            assertEquals(Set.of(), server.connections("auto:receive_3"));
        }
    }

    @Test
    void without_auto_connect_leaves_the_ports_unconnected() throws Exception {
        try (JackSession session = open("manual", 2, 2, false)) {
            session.start();
            for (final String port : List.of("manual:send_1", "manual:send_2", "manual:receive_1", "manual:receive_2")) {
                assertEquals(Set.of(), server.connections(port), port);
            }
        }
    }

    @Test
    void refuses_another_server_while_clients_of_this_one_are_open() throws Exception {
        try (JackSession session = open("first", 1, 1, false)) {
            final AudioBackendException e = assertThrows(AudioBackendException.class,
                    () -> new JackBackend("elsewhere").open(new AudioSpec("second", 1, 1, false), COPY));
            assertTrue(e.getMessage().contains("libjack can only talk to one server per process"), e.getMessage());
            assertTrue(session.isAlive());
        }
        final AudioBackendException afterClose = assertThrows(AudioBackendException.class,
                () -> new JackBackend("elsewhere").open(new AudioSpec("second", 1, 1, false), COPY));
        assertTrue(afterClose.getMessage().startsWith("no JACK server named 'elsewhere'"), afterClose.getMessage());
    }

    @Test
    void tells_how_to_start_a_server_that_is_not_running() {
        final String absent = "jamwire-absent-" + ProcessHandle.current().pid();
        final AudioBackendException e = assertThrows(AudioBackendException.class,
                () -> new JackBackend(absent).open(new AudioSpec("nobody", 1, 1, false), COPY));
        final String user = System.getProperty("user.name");
        assertEquals("no JACK server named '" + absent + "' is running for user " + user + " (a JACK server is seen"
                + " only by the user that runs it): start the JACK service (`systemctl start jamwire-jackd` where the"
                + " lab's roles installed it), or start one as " + user + " with `jackd -n " + absent + " -d alsa` (or"
                + " `jackd -n " + absent + " -d dummy` to run without a sound card), or run the agent as the user"
                + " that runs JACK", e.getMessage());
    }
}
