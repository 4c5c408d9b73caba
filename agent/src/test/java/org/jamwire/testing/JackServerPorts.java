package org.jamwire.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The port list of a JACK server by name, through {@code jack_lsp}, for processes that did not start it. */
public final class JackServerPorts {

    private final String server;

    /** Ports of the server named {@code server}. */
    public JackServerPorts(String server) {
        this.server = server;
    }

    /** The server's port names. */
    public List<String> ports() {
        final ProcessBuilder b = new ProcessBuilder("jack_lsp").redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().put("JACK_DEFAULT_SERVER", server);
        try {
            final Process p = b.start();
            final String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return text.lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jack_lsp", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code port} exists. */
    public void awaitPort(String port, Duration timeout) {
        Deadlines.await(timeout, () -> ports().contains(port), () -> "port " + port + " on " + server + ": " + ports());
    }
}
