package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jamwire.control.LinkTests;

/**
 * Link tests against peers and their history: each test starts the peer's echo over ssh and sends
 * it datagrams of a link's size at the link's rate; each result is appended to a JSON-lines file
 * beside the peer list. Called on HTTP threads; the history is safe to read from any.
 */
final class LinkTestHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<Lab.LinkTestRecord> history = new CopyOnWriteArrayList<>();

    /**
     * @param file the history ({@code linktests.jsonl}; read when it exists)
     */
    LinkTestHistory(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                try {
                    history.add(JSON.readValue(line, Lab.LinkTestRecord.class));
                } catch (IOException e) {
                    // A line cut short by a crash: the others still count.
                }
            }
        }
    }

    /** The lab's link ports, which its firewalls open: a link test with no port asked for takes a free one. */
    static final List<Integer> LAB_PORTS = List.of(4464, 4474, 4484, 4494);

    /**
     * Runs a link test against {@code peer}, its echo started over {@code ssh}.
     *
     * @param bytes the link's datagram size
     * @param periodNanos time between datagrams
     * @param seconds how long to send, 1 to 60
     * @param port the UDP port the echo binds on the peer, or 0 for the first of {@link #LAB_PORTS}
     *     free there (a running link holds its port)
     * @throws IOException when the echo does not start; the message carries its own words
     */
    static LinkTests.Result measure(SshSession ssh, Peer peer, int bytes, long periodNanos, int seconds, int port)
            throws SshException, IOException {
        final List<Integer> ports = port == 0 ? LAB_PORTS : List.of(port);
        String taken = "";
        for (int p : ports) {
            try (RemoteProcess echo = ssh.start(RemoteCommand.of(PeerPrograms.LINKTEST_ECHO, "linktest", "--echo",
                    "--port", String.valueOf(p), "--seconds", String.valueOf(seconds)))) {
                if (echo.awaitOutput("echoing on UDP port", Duration.ofSeconds(15))) {
                    return LinkTests.run(peer.host(), p, bytes, periodNanos, seconds);
                }
                final String said = echo.output().strip();
                if (port == 0 && said.contains("in use")) {
                    taken += (taken.isEmpty() ? "" : ", ") + p;
                    continue;
                }
                throw new IOException("the echo did not start on " + peer.name() + (echo.isRunning() ? ""
                        : " (exit " + echo.exitStatus() + ")") + ": " + said
                        + (echo.exitStatus() == 127 ? " (install JamWire there; jacktrip has no link test)" : ""));
            }
        }
        throw new IOException("every lab link port on " + peer.name() + " is in use (" + taken + "): stop a link"
                + " there, or give the port to test");
    }

    /** Keeps a link test's result against the peer named {@code peer}, in memory and in the file. */
    Lab.LinkTestRecord keep(String peer, LinkTests.Result result) throws IOException {
        final Lab.LinkTestRecord record = new Lab.LinkTestRecord(peer, Instant.now().toString(), result);
        history.add(record);
        Files.writeString(file, JSON.writeValueAsString(record) + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return record;
    }

    /** The link tests run against a peer since this agent started, oldest first. */
    List<Lab.LinkTestRecord> of(String peer) {
        return history.stream().filter(r -> r.peer().equals(peer)).toList();
    }
}
