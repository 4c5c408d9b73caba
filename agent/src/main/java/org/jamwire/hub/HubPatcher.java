package org.jamwire.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jamwire.jack.JackGraph;

/**
 * Connects the hub's clients' JACK ports as its patch mode says, anew each time a client comes or
 * goes, on a thread of its own so that no slot waits on JACK. JACK drops a leaving client's
 * connections itself. Asked on control threads; patches on its patch thread.
 */
final class HubPatcher implements AutoCloseable {

    private final HubConfig config;
    private final JackGraph graph;
    private final Supplier<List<HubPatch.Client>> clients;
    private final ExecutorService thread;

    /**
     * @param config the hub's settings: its patch mode, and whether its system ports and upmixing take part
     * @param graph the JACK client that patches
     * @param clients the streaming clients now, read on the patch thread
     */
    HubPatcher(HubConfig config, JackGraph graph, Supplier<List<HubPatch.Client>> clients) {
        this.config = config;
        this.graph = graph;
        this.clients = clients;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "jamwire-hub-patch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether a patch mode connects anything: the others leave the patching to the user. */
    static boolean patches(PatchMode mode) {
        return mode == PatchMode.CLIENT_ECHO || mode == PatchMode.CLIENT_FAN_OUT_IN || mode == PatchMode.FULL_MIX;
    }

    /** Patches anew soon, on the patch thread. */
    void repatch() {
        try {
            thread.execute(this::patchNow);
        } catch (RejectedExecutionException e) {
            // Stopping.
        }
    }

    private void patchNow() {
        final List<String> capture = new ArrayList<>();
        final List<String> playback = new ArrayList<>();
        final List<HubPatch.Client> now = clients.get();
        for (JackGraph.Port p : graph.ports()) {
            if (p.physical()) {
                (p.output() ? capture : playback).add(p.name());
            }
        }
        final Set<HubPatch.Connection> wanted = HubPatch.connections(config.patch(), config.includeServer(),
                config.upmix(), now, capture, playback);
        for (HubPatch.Connection c : wanted) {
            try {
                graph.connect(c.source(), c.destination());
            } catch (JackGraph.PortException e) {
                // A client that left meanwhile: the next repatch, on its release, is right again.
            }
        }
    }

    /** Stops the patch thread and closes the JACK client. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        graph.close();
    }
}
