package org.jamwire.web;

import java.util.ArrayList;
import java.util.List;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.LinkManager;
import org.jamwire.coordinator.PeerAgent;
import org.jamwire.coordinator.PeerProbe;
import org.jamwire.coordinator.PeerReport;
import org.jamwire.coordinator.ThisMachine;
import org.jamwire.options.BuildInfo;

/**
 * This machine as an ensemble whose hub runs here sees it: this agent, reached on its own address
 * with its own token, and its JACK server as this agent watches it. Called on control threads.
 */
final class LocalMachine implements ThisMachine {

    private final PeerAgent agent;
    private final JackMonitor jack;

    LocalMachine(PeerAgent agent, JackMonitor jack) {
        this.agent = agent;
        this.jack = jack;
    }

    @Override
    public PeerAgent agent() {
        return agent;
    }

    @Override
    public PeerReport probe() {
        final JackMonitor.State s = jack.state();
        final boolean running = "running".equals(s.state());
        final List<String> notes = new ArrayList<>();
        if (!running && s.message() != null) {
            notes.add(s.message());
        }
        return new PeerReport(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"), s.server(), running, running ? s.sampleRate() : 0,
                running ? s.bufferSize() : 0, 0, s.xruns(), BuildInfo.version(), null, true,
                LinkManager.freeUdpPorts(PeerProbe.LINK_PORTS), notes);
    }
}
