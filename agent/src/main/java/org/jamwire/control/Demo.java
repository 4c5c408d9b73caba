package org.jamwire.control;

import java.util.ArrayList;
import java.util.List;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.BuiltinSession;
import org.jamwire.link.Backends;
import org.jamwire.options.Command;

/**
 * {@code jamwire demo}: a server and a client end on this machine streaming to each other over UDP
 * loopback on one built-in backend, which keeps their sessions apart by client name. Started and
 * read on the control (main) thread; the ends run on their own threads.
 */
public final class Demo implements AutoCloseable {

    /**
     * One end's figures at one moment.
     *
     * @param name {@code server} or {@code client}
     * @param link the end as a link, with its counters
     * @param playedRms the RMS level of what it played, per channel, in dBFS
     */
    public record End(String name, LinkView link, List<Double> playedRms) {
    }

    private final LinkManager links;
    private final BuiltinBackend audio;
    private final List<String> ids = new ArrayList<>();

    private Demo(LinkManager links, BuiltinBackend audio) {
        this.links = links;
        this.audio = audio;
    }

    /**
     * Starts both ends.
     *
     * @param bus where their events go
     * @throws LinkManager.StartFailed when an end cannot start; neither runs then
     */
    public static Demo start(Command.Demo demo, EventBus bus) throws LinkManager.StartFailed {
        final Demo d = new Demo(LinkManager.forTerminal(bus),
                (BuiltinBackend) Backends.forConfig(demo.serverConfig(0)));
        try {
            final ManagedLink server = d.links.startOn(demo.serverConfig(0), d.audio);
            d.ids.add(server.id());
            d.ids.add(d.links.startOn(demo.clientConfig(0, server.link().localPort()), d.audio).id());
        } catch (LinkManager.StartFailed e) {
            d.close();
            throw e;
        }
        return d;
    }

    /** Both ends' figures now, the server's first. */
    public List<End> ends() {
        final List<End> ends = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            final LinkView v = links.view(ids.get(i), true);
            final BuiltinSession s = audio.session(v.clientName());
            final List<Double> rms = new ArrayList<>();
            if (s != null) {
                for (int c = 0; c < s.receiveMeters().channels(); c++) {
                    rms.add(Meters.db(s.receiveMeters().rms(c)));
                }
            }
            ends.add(new End(i == 0 ? "server" : "client", v, rms));
        }
        return ends;
    }

    /** Whether both ends still run. */
    public boolean running() {
        return ids.stream().map(id -> links.view(id, false).state()).noneMatch(s -> s.equals("stopped")
                || s.equals("failed"));
    }

    /** Whether an end failed. */
    public boolean failed() {
        return ids.stream().anyMatch(id -> links.view(id, false).state().equals("failed"));
    }

    /** Stops both ends. */
    @Override
    public void close() {
        links.close();
    }
}
