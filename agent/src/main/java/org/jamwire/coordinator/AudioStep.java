package org.jamwire.coordinator;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A pair's step "wait for audio both ways": the pair runs only once each end has received audio
 * from the other, as each end's packets-received counter says (read through its agent, or here) or,
 * in an ssh channel, the program's line about its first packet. When either stays silent past the
 * deadline, the step fails naming the silent direction, the machine and UDP port it did not reach,
 * and the firewall fix. Pair's control thread.
 */
final class AudioStep implements PairStep {
    static final Duration AUDIO_TIMEOUT = Duration.ofSeconds(15);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @Override
    public String name() {
        return "wait for audio both ways";
    }

    @Override
    public String run(Request request, PairEnds ends) throws Refused {
        final long start = System.nanoTime();
        final long deadline = start + AUDIO_TIMEOUT.toNanos();
        boolean atServer = false;
        boolean atClient = false;
        String unread = null;
        while (true) {
            if (ends.stopped()) {
                throw new IllegalStateException("the pair was stopped");
            }
            try {
                atServer = atServer || ends.serverEnd.audioArrived();
                atClient = atClient || (ends.client == null ? request.local().audioArrived(ends.localLink)
                        : ends.clientEnd.audioArrived());
                unread = null;
            } catch (IOException e) {
                unread = e.getMessage();
            }
            final String gone = stoppedEnd(ends);
            if (gone != null) {
                throw new Refused(gone + " before audio arrived both ways");
            }
            if (atServer && atClient) {
                return "audio arrives both ways: at " + ends.serverPeer + " on UDP port " + ends.serverPort() + ", at "
                        + ends.clientName() + " on UDP port " + ends.clientPort() + ", after "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms";
            }
            if (System.nanoTime() - deadline > 0) {
                throw new Refused(silence(ends, atServer) + (unread == null ? "" : " (the last reading failed: "
                        + unread + ")"));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Which end stopped, with what it printed, or null while both run. */
    private static String stoppedEnd(PairEnds ends) {
        final RemoteEnd client = ends.clientEnd;
        for (RemoteEnd e : new RemoteEnd[] {ends.serverEnd, client}) {
            if (e != null && !e.running()) {
                final String out = e.output().strip();
                return (e == client ? "the client on " + ends.clientPeer : "the server on " + ends.serverPeer)
                        + " stopped" + (out.isEmpty() ? "" : ": " + (out.length() > 400 ? "…"
                                + out.substring(out.length() - 400) : out));
            }
        }
        return null;
    }

    /**
     * Why no audio came, and the fix. A server answers only the client it has heard, so a silent
     * client-to-server direction leaves the other silent too: that one is the one to fix.
     */
    static String silence(PairEnds ends, boolean atServer) {
        final String server = ends.serverPeer;
        final String client = ends.clientName();
        final long seconds = AUDIO_TIMEOUT.toSeconds();
        if (!atServer) {
            return "no audio from " + client + " to " + server + ": nothing the client on " + client + " sent reached"
                    + " the server on " + server + ", UDP port " + ends.serverPort() + ", within " + seconds + " s, so"
                    + " the server had no one to answer and nothing came back either: "
                    + firewallFix(server, ends.serverPort(), false) + ", and check that " + client + " reaches "
                    + ends.server.peer().host();
        }
        return "no audio from " + server + " to " + client + ": the server on " + server + " heard the client, but"
                + " nothing it sent reached the client on " + client + ", UDP port " + ends.clientPort() + ", within "
                + seconds + " s: " + firewallFix(client, ends.clientPort(), ends.clientPeer == null);
    }

    private static String firewallFix(String machine, int port, boolean here) {
        final String byHand = "e.g. ufw allow " + port + "/udp, or an nftables rule 'udp dport " + port + " accept'";
        if (here) {
            return "let UDP port " + port + " in through " + machine + "'s firewall (" + byHand + ")";
        }
        final String ports = PairPorts.listed(PeerProbe.LINK_PORTS);
        final String role = PeerProbe.LINK_PORTS.contains(port)
                ? "JamWire's lab_network role opens it with the other link ports " + ports
                        + ": run the playbook for " + machine + " (ansible-playbook -i INVENTORY --limit " + machine
                        + " site.yml, or Provision… in the Lab view)"
                : "it is not one of the link ports that JamWire's lab_network role opens (" + ports + "): leave the"
                        + " port out of the request, and the coordinator picks one of those";
        return "let UDP port " + port + " in through " + machine + "'s firewall: " + role + ", or " + byHand + " on "
                + machine;
    }
}
