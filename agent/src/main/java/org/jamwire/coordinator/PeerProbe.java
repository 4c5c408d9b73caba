package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out what a peer has, over an open ssh session: its OS, whether JACK runs and how, whether
 * it runs as the provisioned JACK service ({@value JackSettings#FILE}), where {@code jamwire} is and
 * the JamWire and jacktrip versions, which link ports are free, and whether a JamWire agent runs there,
 * which it reaches through an ssh tunnel to the peer's own loopback with the token read over ssh.
 * Every reply is checked before it is believed; one it cannot read becomes a note, not a failure.
 * Called on a control thread.
 */
public final class PeerProbe {

    /** The link ports the old manual opens in the firewall. */
    public static final List<Integer> LINK_PORTS = List.of(4464, 4474, 4484, 4494);
    /** The note a report carries when the peer's UDP sockets could not be listed. */
    static final String FREE_PORTS_UNKNOWN = "cannot list the peer's UDP sockets (ss failed): free ports are not known";

    private static final Pattern WHOLE = Pattern.compile("\\s*([0-9]{1,9})\\s*");
    private static final Pattern JACKTRIP = Pattern.compile("JackTrip VERSION: ([0-9]+(\\.[0-9]+){1,3})");
    private static final Pattern PERIODS = Pattern.compile("(?:^|\\s)(?:-n|--nperiods)(?:\\s+|=)([0-9]{1,3})(?:\\s|$)");
    private static final Pattern ABSOLUTE = Pattern.compile("/[A-Za-z0-9_.,+@/-]{1,250}");
    private static final Pattern PORT = Pattern.compile("\\S+:([0-9]{1,5})\\s");

    private PeerProbe() {
    }

    /** Probes the peer, for its JACK server and its agent where the peer's record says they are. */
    public static PeerReport probe(SshSession ssh, Peer peer) throws SshException {
        final String jackServer = peer.jackServer();
        final List<String> notes = new ArrayList<>();
        final SshSession.Result uname = ssh.run(RemoteCommand.of(PeerPrograms.UNAME, "-srm"));
        final String os = uname.exitStatus() == 0 ? printable(uname.stdout().trim(), 200) : null;
        JackSettings service = null;
        try {
            service = JackService.read(ssh);
        } catch (IllegalStateException e) {
            notes.add(e.getMessage());
        }
        final String notRunning = notRunning(jackServer, ssh.target().user(), service);
        // A PipeWire daemon in the user's session, where no jackd serves that server, serves JACK
        // programs there (through pw-jack, or its libjack installed system-wide): its graph's rate
        // and quantum are JACK's.
        final PipeWireSettings pipeWire = PipeWireSettings.servingJack(ssh, jackServer);
        final int rate = pipeWire != null ? pipeWire.effectiveRate()
                : jackNumber(ssh, jackServer, "jack_samplerate", notes, notRunning);
        final int frames = pipeWire != null ? pipeWire.effectiveQuantum()
                : rate > 0 ? jackNumber(ssh, jackServer, "jack_bufsize", notes, notRunning) : 0;
        final int periods = pipeWire == null && rate > 0 ? periods(ssh) : 0;
        final String jamwire = version(ssh.run(RemoteCommand.of(PeerPrograms.JAMWIRE_VERSION, "--version")),
                Pattern.compile("JamWire (\\S{1,40})"));
        final String jamwirePath = jamwirePath(ssh);
        final String jacktrip = version(ssh.run(RemoteCommand.of(PeerPrograms.JACKTRIP_VERSION, "-v")), JACKTRIP);
        final List<Integer> free = freePorts(ssh, notes);
        long xruns = -1;
        boolean agent = false;
        try {
            final JsonNode state = PeerAgent.find(ssh, peer).get("/api/jack");
            agent = true;
            xruns = state.path("xruns").asLong(-1);
        } catch (IOException e) {
            notes.add(e.getMessage() + (e instanceof PeerAgent.NoAgent ? ": xruns are not known" : ""));
        }
        return new PeerReport(os, jackServer, rate > 0, rate, frames, periods, xruns, jamwire, jacktrip, agent, free,
                notes, jamwirePath, service, pipeWire);
    }

    /**
     * Why the JACK server {@code server} may not be found for {@code user}: JACK servers belong to
     * the user that started them, so the note names both, and what the settings file says.
     */
    static String notRunning(String server, String user, JackSettings service) {
        final String missing = "the JACK server '" + server + "' is not running on the peer for user " + user;
        if (service == null) {
            return missing + " (a JACK server is seen only by the user that runs it): start it as " + user
                    + ", e.g. as the lab's JACK service (the jack_service role), or log in as the user that runs it";
        }
        if (!service.server().equals(server)) {
            return missing + ": the JACK service there runs '" + service.server() + "' (" + JackSettings.FILE
                    + "): give the peer that jackServer, or set jack_service_server to '" + server + "'";
        }
        return missing + ", though the JACK service should run it: " + JackSettings.LOOK;
    }

    private static int jackNumber(SshSession ssh, String server, String tool, List<String> notes, String notRunning)
            throws SshException {
        final SshSession.Result r = jackTool(ssh, server, tool);
        final int n = number(r);
        if (n > 0) {
            return n;
        }
        if (r.exitStatus() == 127) {
            notes.add(tool + " is not installed on the peer (Debian: apt install jackd2)");
        } else if (r.exitStatus() == 0) {
            notes.add(tool + " answered something that is not a number: '" + printable(r.stdout().trim(), 60) + "'");
        } else {
            notes.add(notRunning);
        }
        return 0;
    }

    /** What a JACK tool answers for the server {@code server}, which it must not start. */
    static SshSession.Result jackTool(SshSession ssh, String server, String tool) throws SshException {
        return ssh.run(RemoteCommand.of(PeerPrograms.JACK_TOOL, "JACK_NO_START_SERVER=1",
                "JACK_DEFAULT_SERVER=" + server, tool));
    }

    /** The positive number a JACK tool printed, or 0 when it failed or printed anything else. */
    static int number(SshSession.Result r) {
        final Matcher m = WHOLE.matcher(r.stdout());
        return r.exitStatus() == 0 && m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Where jamwire is on the login shell's PATH, or null when it is not (or the answer is no path). */
    private static String jamwirePath(SshSession ssh) throws SshException {
        final SshSession.Result r = ssh.run(RemoteCommand.of(PeerPrograms.JAMWIRE_PATH, "-c",
                PeerPrograms.WHERE_JAMWIRE));
        final String path = r.stdout().strip();
        return r.exitStatus() == 0 && ABSOLUTE.matcher(path).matches() ? path : null;
    }

    private static int periods(SshSession ssh) throws SshException {
        final SshSession.Result r = ssh.run(RemoteCommand.of(PeerPrograms.JACKD_ARGS, "-o", "args=", "-C", "jackd"));
        final Matcher m = PERIODS.matcher(r.stdout());
        // jackd's own default when its command line does not say.
        return m.find() ? Integer.parseInt(m.group(1)) : r.exitStatus() == 0 ? 2 : 0;
    }

    private static String version(SshSession.Result r, Pattern p) {
        if (r.exitStatus() != 0 && r.exitStatus() != 1) {
            return null; // 127: not installed
        }
        final Matcher m = p.matcher(r.stdout() + "\n" + r.stderr());
        return m.find() ? m.group(1) : null;
    }

    private static List<Integer> freePorts(SshSession ssh, List<String> notes) throws SshException {
        final SshSession.Result r = ssh.run(RemoteCommand.of(PeerPrograms.UDP_SOCKETS, "-Hunl"));
        if (r.exitStatus() != 0) {
            notes.add(FREE_PORTS_UNKNOWN);
            return List.of();
        }
        final Set<Integer> used = new HashSet<>();
        final Matcher m = PORT.matcher(r.stdout());
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
        }
        return LINK_PORTS.stream().filter(p -> !used.contains(p)).toList();
    }

    static String printable(String s, int max) {
        final String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > max ? clean.substring(0, max) + "…" : clean;
    }
}
