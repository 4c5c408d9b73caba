package org.jamwire.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jamwire.cli.Interrupt;
import org.jamwire.control.JackMonitor;
import org.jamwire.options.BuildInfo;
import org.jamwire.options.Command;
import org.jamwire.options.ExitCode;
import org.jamwire.options.UsageException;
import org.jamwire.web.AgentServer;

/**
 * Runs {@code jamwire agent} for the command line: reads its settings, starts the server, prints
 * where everything is and the URL to open, and stops it all on Ctrl-C or SIGTERM. Runs on the
 * main thread.
 */
final class AgentConsole {

    private final PrintStream out;
    private final PrintStream err;

    AgentConsole(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(Command.Agent agent) {
        final AgentConfig.Loaded loaded;
        try {
            loaded = AgentConfig.load(agent);
        } catch (UsageException e) {
            err.println("jamwire: " + e.problem());
            return ExitCode.USAGE;
        }
        final String listen = loaded.settings().listenAddress();
        if (!isLoopback(listen)) {
            err.println("jamwire: warning: listening on " + listen + ", not loopback: other machines can reach"
                    + " the agent; the token still guards it, but traffic is not encrypted, so use this on a"
                    + " trusted lab network only");
        }
        final AgentServer server;
        try {
            server = AgentServer.start(loaded.settings());
        } catch (IOException | IllegalStateException e) {
            err.println("jamwire: " + e.getMessage());
            return ExitCode.FAILED;
        }
        final String host = listen.contains(":") ? "[" + listen + "]" : listen;
        final String base = "http://" + (isAny(listen) ? "127.0.0.1" : host) + ":" + server.port() + "/";
        out.println("JamWire agent " + BuildInfo.version());
        out.println("  config:     " + loaded.configFile()
                + (loaded.configRead() ? "" : " (not present: defaults used)"));
        out.println("  token file: " + loaded.settings().tokenFile().toAbsolutePath()
                + (server.token().created() ? " (created, readable by its owner only)" : ""));
        final JackMonitor.State jack = server.jackState();
        out.println("  JACK:       server '" + jack.server() + "' " + (jack.message() == null
                ? "running at " + jack.sampleRate() + " Hz, " + jack.bufferSize() + " frames"
                : "not available yet (" + jack.message() + "); the agent keeps checking"));
        out.println("  listening:  " + base + " (API under /api, live feed at /api/live)");
        if (loaded.labInventory() != null) {
            importInventory(server, loaded.labInventory().toString());
        }
        out.println("Open the web UI: " + base + "#token=" + server.token().value());
        out.flush();
        final Interrupt interrupt = Interrupt.install(() -> { });
        try {
            while (!interrupt.await(1, TimeUnit.SECONDS)) {
                // The agent works on its own threads; this one only waits for Ctrl-C.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println("jamwire agent: stopping " + server.links().running() + " running link(s)");
        server.close();
        interrupt.done();
        // Ctrl-C and SIGTERM are how an agent is meant to stop, so this is a clean end.
        return ExitCode.OK;
    }

    /** Adds the inventory's lab hosts as peers, saying what became of each; a failure is said and the agent goes on. */
    private void importInventory(AgentServer server, String inventory) {
        try {
            final List<String> hosts = server.importLabInventory(inventory);
            out.println("  lab:        peers from " + inventory + ":");
            for (String line : hosts) {
                out.println("                " + line);
            }
            if (hosts.stream().anyMatch(l -> l.startsWith("added "))) {
                out.println("              probe each added peer in the Lab view to confirm its host key by"
                        + " fingerprint");
            }
        } catch (IOException e) {
            err.println("jamwire: warning: the lab's peers were not imported from " + inventory + ": "
                    + e.getMessage());
        }
    }

    private static boolean isAny(String address) {
        return address.equals("0.0.0.0") || address.equals("::");
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
