package org.jamwire.coordinator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A peer's JACK server run as the provisioned service ({@value JackSettings#UNIT}): reads its
 * settings file over ssh, and restarts it at another rate and period the service's way, by
 * rewriting the file and stopping its jackd, which the service manager starts again from the file
 * (Restart=always). It never starts a jackd itself. Called on a control thread.
 */
final class JackService {

    /** How long the service manager gets to start jackd again: RestartSec=1 plus jackd's own start. */
    static final Duration WAIT = Duration.ofSeconds(15);

    /** Exit status of {@link PeerPrograms#READ_JACK_SETTINGS} when there is no settings file. */
    private static final int NO_FILE = 3;

    private JackService() {
    }

    /**
     * The settings file in the ssh user's home, or null when there is none (JACK is not the
     * provisioned service there, or was not provisioned for this user).
     *
     * @throws IllegalStateException when the file is there but cannot be read or is not as the role
     *     writes it; the message says which and how to fix it
     */
    static JackSettings read(SshSession ssh) throws SshException {
        final SshSession.Result r = ssh.run(RemoteCommand.of(PeerPrograms.JACK_SETTINGS, "-c",
                PeerPrograms.READ_JACK_SETTINGS));
        if (r.exitStatus() == NO_FILE) {
            return null;
        }
        if (r.exitStatus() != 0) {
            throw new IllegalStateException("cannot read " + JackSettings.FILE + " on the peer as user "
                    + ssh.target().user() + ": " + PeerProbe.printable(r.stderr().strip(), 200));
        }
        try {
            return JackSettings.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Restarts the service at {@code rate} and {@code frames}: rewrites its settings file, stops
     * the jackd serving its name (if one runs), and waits until the service manager has a jackd
     * serving that name again at the new rate and period.
     *
     * @return what was done, for people
     * @throws IllegalStateException when the file cannot be rewritten, the jackd cannot be stopped,
     *     or the service does not come back within {@code wait}; the message names the user, the
     *     server and the unit, and where to look
     */
    static String restart(SshSession ssh, JackSettings service, int rate, int frames, Duration wait)
            throws SshException {
        final String server = service.server();
        final String user = ssh.target().user();
        final JackRestart.Running before = JackRestart.find(ssh, server);
        final SshSession.Result written = ssh.run(RemoteCommand.of(PeerPrograms.JACK_SETTINGS_WRITE, "-c",
                PeerPrograms.WRITE_JACK_SETTINGS, "sh", String.valueOf(rate), String.valueOf(frames)));
        if (written.exitStatus() != 0) {
            throw new IllegalStateException("cannot rewrite " + JackSettings.FILE + " on the peer as user " + user
                    + " (it and its directory must be " + user + "'s): "
                    + PeerProbe.printable(written.stderr().strip(), 200));
        }
        if (before != null) {
            final SshSession.Result killed = ssh.run(RemoteCommand.of(JackRestart.KILL, before.pid()));
            if (killed.exitStatus() != 0) {
                throw new IllegalStateException("cannot stop the jackd serving '" + server + "' (pid " + before.pid()
                        + ") as user " + user + ": " + PeerProbe.printable(killed.stderr().strip(), 120)
                        + ". The JACK service must run as the ssh user (User= of " + JackSettings.UNIT + "); "
                        + JackSettings.FILE + " already says " + rate + " Hz, " + frames
                        + " frames for its next start");
            }
        }
        final long deadline = System.nanoTime() + wait.toNanos();
        String seen = "no jackd serves it";
        while (true) {
            final JackRestart.Running now = JackRestart.find(ssh, server);
            if (now != null && (before == null || !now.pid().equals(before.pid()))) {
                final int r = PeerProbe.number(PeerProbe.jackTool(ssh, server, "jack_samplerate"));
                final int f = r > 0 ? PeerProbe.number(PeerProbe.jackTool(ssh, server, "jack_bufsize")) : 0;
                if (r == rate && f == frames) {
                    return "restarted the JACK service at " + rate + " Hz, " + frames + " frames";
                }
                seen = r > 0 ? "a jackd serves it at " + r + " Hz, " + f + " frames"
                        : "a jackd (pid " + now.pid() + ") runs for it but does not answer yet";
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the JACK service '" + server + "' for user " + user
                        + " did not come back at " + rate + " Hz, " + frames + " frames within " + wait.toSeconds()
                        + " s (" + seen + "; " + JackSettings.FILE + " now says so): " + JackSettings.UNIT
                        + " must run and restart jackd when it exits (Restart=always); " + JackSettings.LOOK);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }
}
