package org.jamwire.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * "Make them match": restarts a peer's JACK server at another rate and period. The provisioned JACK
 * service is left to its service manager ({@link JackService}); a hand-started jackd is started
 * again keeping its name, driver and every other setting as its running command line shows them.
 * Only on the user's request. The old command line comes from the peer, so each of its words is
 * checked before it is used again. Called on a control thread.
 */
final class JackRestart {

    /** One word of a jackd command line: options and plain values only. */
    private static final RemoteCommand.Rule JACKD_WORD = RemoteCommand.matching("[A-Za-z0-9_.,:=/+@-]{1,100}",
            "letters, digits and _ . , : = / + @ -");

    /** {@code ps -o pid=,args= -C jackd}. */
    static final RemoteCommand.Program JACKD_PROCESSES = RemoteCommand.Program.fixed("ps", RemoteCommand.exactly("-o"),
            RemoteCommand.exactly("pid=,args="), RemoteCommand.exactly("-C"), RemoteCommand.exactly("jackd"));

    /** {@code kill PID}. */
    static final RemoteCommand.Program KILL = RemoteCommand.Program.fixed("kill",
            RemoteCommand.matching("[0-9]{1,9}", "a process id"));

    /**
     * Starts jackd detached from the ssh session, its output discarded. The script is fixed; the
     * command line reaches it only as separate arguments ("$@"), never as shell text.
     */
    static final String DETACH = "exec setsid -f \"$@\" </dev/null >/dev/null 2>&1";
    static final RemoteCommand.Program DETACHED_JACKD = new RemoteCommand.Program("sh", List.of(
            RemoteCommand.exactly("-c"), RemoteCommand.exactly(DETACH), RemoteCommand.exactly("sh"),
            RemoteCommand.exactly("jackd")), JACKD_WORD);

    private JackRestart() {
    }

    /** A running jackd: its process id and its arguments after the program name. */
    record Running(String pid, List<String> args) {
    }

    /** The jackd serving {@code server}, or null when none does. */
    static Running find(SshSession ssh, String server) throws SshException {
        final SshSession.Result r = ssh.run(RemoteCommand.of(JACKD_PROCESSES, "-o", "pid=,args=", "-C", "jackd"));
        for (String line : r.stdout().split("\n")) {
            final String[] words = line.trim().split("\\s+");
            if (words.length < 2 || !words[0].matches("[0-9]{1,9}") || !words[1].endsWith("jackd")) {
                continue;
            }
            final List<String> args = List.of(words).subList(2, words.length);
            if (server.equals(serverName(args))) {
                return new Running(words[0], args);
            }
        }
        return null;
    }

    /** The server name in jackd's options before the driver: -n/--name, or "default". */
    static String serverName(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            final String a = args.get(i);
            if (a.equals("-d") || a.equals("--driver") || a.startsWith("-d") && a.length() > 2) {
                break;
            }
            if ((a.equals("-n") || a.equals("--name")) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (a.startsWith("--name=")) {
                return a.substring(7);
            }
        }
        return "default";
    }

    /** The same command line at another rate and period: the driver's -r and -p replaced, or added. */
    static List<String> withRateAndPeriod(List<String> args, int rate, int frames) {
        final List<String> out = new ArrayList<>(args);
        boolean rateDone = false;
        boolean periodDone = false;
        // Before the driver, -r and -p are jackd's own options (no realtime, port maximum).
        for (int i = afterDriver(args); i + 1 < out.size(); i++) {
            final String a = out.get(i);
            if (a.equals("-r") || a.equals("--rate")) {
                out.set(++i, String.valueOf(rate));
                rateDone = true;
            } else if (a.equals("-p") || a.equals("--period")) {
                out.set(++i, String.valueOf(frames));
                periodDone = true;
            }
        }
        if (!rateDone) {
            out.addAll(List.of("-r", String.valueOf(rate)));
        }
        if (!periodDone) {
            out.addAll(List.of("-p", String.valueOf(frames)));
        }
        return out;
    }

    /** Where the driver's own options start: after -d and its name; the end when there is no driver. */
    private static int afterDriver(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-d") || args.get(i).equals("--driver")) {
                return i + 2;
            }
        }
        return args.size();
    }

    /**
     * Restarts the peer's JACK server {@code server} at {@code rate} and {@code frames}. When the
     * ssh user's {@value JackSettings#FILE} names that server, it is the provisioned service, restarted
     * the service's way ({@link JackService}); otherwise its jackd, started by hand, is stopped and
     * started again by its own command line.
     *
     * @return what was done, for people, e.g. "restarted the JACK service at 48000 Hz, 256 frames"
     * @throws IllegalStateException when no jackd serves that name, or it does not stop or start;
     *     the message names the user and the server, and says what to do
     */
    static String restart(SshSession ssh, String server, int rate, int frames) throws SshException {
        return restart(ssh, server, rate, frames, JackService.WAIT);
    }

    /** The same, giving the JACK service {@code wait} to come back. */
    static String restart(SshSession ssh, String server, int rate, int frames, Duration wait) throws SshException {
        final JackSettings service = JackService.read(ssh);
        if (service != null && service.server().equals(server)) {
            return JackService.restart(ssh, service, rate, frames, wait);
        }
        final String user = ssh.target().user();
        final Running running = find(ssh, server);
        if (running == null) {
            throw new IllegalStateException("no jackd serves the JACK server '" + server + "' on the peer, and "
                    + user + "'s " + JackSettings.FILE + (service == null ? " does not exist" : " names another ('"
                            + service.server() + "')") + ", so it is no JACK service there either: start JACK for '"
                    + server + "' as user " + user + " first (a hand-started jackd is restarted by its own command"
                    + " line), or provision the peer's JACK service");
        }
        if (!running.args().contains("-d") && !running.args().contains("--driver")) {
            throw new IllegalStateException("the jackd serving '" + server + "' on the peer names no driver (-d) on"
                    + " its command line: restart it by hand");
        }
        final List<String> again = withRateAndPeriod(running.args(), rate, frames);
        final List<String> argv = new ArrayList<>(List.of("-c", DETACH, "sh", "jackd"));
        argv.addAll(again);
        final RemoteCommand start = RemoteCommand.of(DETACHED_JACKD, argv);
        final SshSession.Result killed = ssh.run(RemoteCommand.of(KILL, running.pid()));
        if (killed.exitStatus() != 0) {
            throw new IllegalStateException("cannot stop the jackd serving '" + server + "' (pid " + running.pid()
                    + ") as user " + user + ": " + PeerProbe.printable(killed.stderr().strip(), 120)
                    + ". Log in as the user that runs it");
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (find(ssh, server) != null) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the jackd serving '" + server + "' on the peer (pid " + running.pid()
                        + ") did not stop within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        final SshSession.Result r = ssh.run(start);
        if (r.exitStatus() != 0) {
            throw new IllegalStateException("jackd for '" + server + "' did not start again on the peer as user " + user
                    + ": " + PeerProbe.printable(r.stderr().strip(), 200));
        }
        return "restarted jackd by its own command line at " + rate + " Hz, " + frames
                + " frames (it was started by hand, not as the JACK service)";
    }
}
