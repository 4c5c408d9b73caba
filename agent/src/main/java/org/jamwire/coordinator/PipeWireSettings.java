package org.jamwire.coordinator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PipeWire daemon's clock settings, as {@code pw-metadata -n settings} prints them for the ssh
 * user's session: the graph's rate and quantum, and the rate and quantum its settings force (0:
 * none). On PipeWire these are what a JACK program sees as the server's rate and period, one for
 * every client; "make them match" forces them through the same settings, and never restarts
 * PipeWire. Immutable.
 *
 * @param rate {@code clock.rate}
 * @param quantum {@code clock.quantum}
 * @param forceRate {@code clock.force-rate}, or 0
 * @param forceQuantum {@code clock.force-quantum}, or 0
 */
public record PipeWireSettings(int rate, int quantum, int forceRate, int forceQuantum) {

    /** {@code pw-metadata -n settings}: the settings of the session's PipeWire daemon. */
    static final RemoteCommand.Program READ = RemoteCommand.Program.fixed("pw-metadata",
            RemoteCommand.exactly("-n"), RemoteCommand.exactly("settings"));

    /** {@code pw-metadata -n settings 0 clock.force-rate|clock.force-quantum N}. */
    static final RemoteCommand.Program FORCE = RemoteCommand.Program.fixed("pw-metadata",
            RemoteCommand.exactly("-n"), RemoteCommand.exactly("settings"), RemoteCommand.exactly("0"),
            RemoteCommand.oneOf("clock.force-rate", "clock.force-quantum"),
            RemoteCommand.matching("[0-9]{1,6}", "a whole number"));

    private static final Pattern LINE = Pattern.compile("key:'(clock\\.[a-z-]{1,20})' value:'([0-9]{1,9})'");

    /** The rate the graph runs at: the forced one, else its own. */
    public int effectiveRate() {
        return forceRate > 0 ? forceRate : rate;
    }

    /** The quantum the graph runs at: the forced one, else its own. */
    public int effectiveQuantum() {
        return forceQuantum > 0 ? forceQuantum : quantum;
    }

    /** The settings in {@code pw-metadata -n settings}'s output, or null when it names no clock rate and quantum. */
    static PipeWireSettings parse(String output) {
        int rate = 0;
        int quantum = 0;
        int forceRate = 0;
        int forceQuantum = 0;
        final Matcher m = LINE.matcher(output == null ? "" : output);
        while (m.find()) {
            final int v = Integer.parseInt(m.group(2));
            switch (m.group(1)) {
                case "clock.rate" -> rate = v;
                case "clock.quantum" -> quantum = v;
                case "clock.force-rate" -> forceRate = v;
                case "clock.force-quantum" -> forceQuantum = v;
                default -> {
                    // min-quantum, max-quantum and the like: not what the graph runs at
                }
            }
        }
        return rate > 0 && quantum > 0 ? new PipeWireSettings(rate, quantum, forceRate, forceQuantum) : null;
    }

    /**
     * The settings of the PipeWire daemon that the ssh user's session reaches, or null when none
     * answers (no PipeWire there, pw-metadata not installed, or no daemon for that user).
     */
    static PipeWireSettings read(SshSession ssh) throws SshException {
        final SshSession.Result r = ssh.run(RemoteCommand.of(READ, "-n", "settings"));
        return r.exitStatus() == 0 ? parse(r.stdout()) : null;
    }

    /**
     * The settings of the PipeWire graph that serves JACK programs for the ssh user, or null: when
     * a jackd serves {@code server} there, JACK programs go to it even where PipeWire also runs
     * (a desktop's sound), and PipeWire's settings are not JACK's.
     */
    static PipeWireSettings servingJack(SshSession ssh, String server) throws SshException {
        return JackRestart.find(ssh, server) != null ? null : read(ssh);
    }

    /** The two commands that force {@code rate} and {@code frames} on the graph. */
    static RemoteCommand[] forcing(int rate, int frames) {
        return new RemoteCommand[] {
            RemoteCommand.of(FORCE, "-n", "settings", "0", "clock.force-rate", Integer.toString(rate)),
            RemoteCommand.of(FORCE, "-n", "settings", "0", "clock.force-quantum", Integer.toString(frames)),
        };
    }

    /**
     * Forces {@code rate} and {@code frames} on the session's PipeWire graph, without restarting
     * anything: every client of the graph then runs at them.
     *
     * @return what was done, for people
     * @throws IllegalStateException when pw-metadata refuses, with what it said
     */
    static String force(SshSession ssh, int rate, int frames) throws SshException {
        for (RemoteCommand c : forcing(rate, frames)) {
            final SshSession.Result r = ssh.run(c);
            if (r.exitStatus() != 0) {
                throw new IllegalStateException("pw-metadata refused to set " + c.argv().get(4) + ": "
                        + PeerProbe.printable((r.stderr() + " " + r.stdout()).strip(), 200));
            }
        }
        return "forced PipeWire's graph to " + rate + " Hz and a quantum of " + frames + " frames"
                + " (pw-metadata -n settings 0 clock.force-rate / clock.force-quantum; PipeWire was not restarted)";
    }
}
