package org.jamwire.coordinator;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An ensemble member's program ({@code jacktrip -C} or {@code jamwire -C}) on a machine without a
 * JamWire agent, started detached from the ssh session: in a session of its own ({@code setsid}),
 * its output to a log file, its process id to a file, both under
 * {@code ${XDG_STATE_HOME:-~/.local/state}/jamwire/members/} on that machine (made owner-only).
 * So it keeps streaming when the coordinator's ssh connection goes or its agent restarts; the
 * coordinator reads its state and the end of its log over whatever ssh session it has, finds it
 * again by its name, and stops it (SIGTERM to its process group, then SIGKILL after 3 s). The
 * three scripts are fixed: the name and the program's argv reach them only as separate arguments.
 * Started on a control thread; read on the watchdog's and HTTP threads.
 */
final class DetachedLink implements RemoteEnd {

    /**
     * The members' directory on the machine, in {@code $d}, and {@code alive PID}: whether the
     * process runs (a zombie not yet reaped has ended).
     */
    private static final String DIR = "d=\"${XDG_STATE_HOME:-$HOME/.local/state}/jamwire/members\"; "
            + "alive() { s=$(ps -o stat= -p \"$1\" 2>/dev/null); case \"$s\" in \"\"|*Z*) return 1;; esac; }; ";

    /**
     * {@code sh -c START sh NAME PROGRAM ARGS...}: starts the program in a session of its own with
     * its output to NAME.log, and prints its process id once NAME.pid holds it.
     */
    static final String START = DIR + "mkdir -p \"$d\" && chmod 700 \"$d\" || exit 3; n=$1; shift; "
            + "rm -f \"$d/$n.pid\"; : >\"$d/$n.log\"; "
            + "setsid -f sh -c 'echo $$ >\"$0.pid\"; exec \"$@\"' \"$d/$n\" \"$@\" </dev/null >>\"$d/$n.log\" 2>&1; "
            + "i=0; while [ ! -s \"$d/$n.pid\" ]; do i=$((i+1)); if [ $i -gt 50 ]; then "
            + "echo \"no process id within 5 s\" >&2; tail -c 2000 \"$d/$n.log\" >&2; exit 4; fi; sleep 0.1; done; "
            + "cat \"$d/$n.pid\"";

    /** {@code sh -c READ sh NAME}: "running PID" or "exited", then the last 4,000 bytes of its log. */
    static final String READ = DIR + "p=$(cat \"$d/$1.pid\" 2>/dev/null); "
            + "if [ -n \"$p\" ] && alive \"$p\"; then echo \"running $p\"; else echo exited; fi; "
            + "tail -c 4000 \"$d/$1.log\" 2>/dev/null; exit 0";

    /** {@code sh -c STOP sh NAME}: SIGTERM to its process group, SIGKILL after 3 s; says which did it. */
    static final String STOP = DIR + "p=$(cat \"$d/$1.pid\" 2>/dev/null); "
            + "if [ -z \"$p\" ]; then echo \"not running\"; exit 0; fi; kill -TERM \"-$p\" 2>/dev/null; i=0; "
            + "while alive \"$p\" && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; "
            + "if alive \"$p\"; then kill -KILL \"-$p\" 2>/dev/null; echo killed; else echo stopped; fi; "
            + "rm -f \"$d/$1.pid\"";

    /** A detached program's name on its machine: its files' names there. */
    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,79}";

    /** {@code sh -c START sh NAME} and then the program's own argv, checked by its own rules. */
    static final RemoteCommand.Program DETACH = new RemoteCommand.Program("sh", List.of(
            RemoteCommand.exactly("-c"), RemoteCommand.exactly(START), RemoteCommand.exactly("sh"),
            RemoteCommand.matching(NAME, "a member's name")), RemoteCommand.NONE);
    static final RemoteCommand.Program READ_STATE = RemoteCommand.Program.fixed("sh", RemoteCommand.exactly("-c"),
            RemoteCommand.exactly(READ), RemoteCommand.exactly("sh"), RemoteCommand.matching(NAME, "a member's name"));
    static final RemoteCommand.Program STOP_IT = RemoteCommand.Program.fixed("sh", RemoteCommand.exactly("-c"),
            RemoteCommand.exactly(STOP), RemoteCommand.exactly("sh"), RemoteCommand.matching(NAME, "a member's name"));

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final String name;
    private volatile SshSession ssh;
    private volatile boolean running = true;
    private volatile String pid;
    private volatile String output = "";

    private DetachedLink(SshSession ssh, String name) {
        this.ssh = ssh;
        this.name = name;
    }

    /** The name of {@code peer}'s program in ensemble {@code ensemble}: its files on the machine. */
    static String name(String ensemble, String peer) {
        return "ensemble-" + ensemble + "-" + peer;
    }

    /**
     * Starts {@code command} detached on {@code ssh}'s machine under {@code name}.
     *
     * @throws IOException when it did not start, with what it said
     */
    static DetachedLink start(SshSession ssh, String name, String program, RemoteCommand command)
            throws IOException, SshException {
        final SshSession.Result r = ssh.run(RemoteCommand.around(DETACH, List.of("-c", START, "sh", name), command));
        final String pid = r.stdout().strip();
        if (r.exitStatus() != 0 || !pid.matches("[0-9]{1,9}")) {
            throw new IOException(program + " did not start detached on " + ssh.target() + " (exit " + r.exitStatus()
                    + "): " + PeerProbe.printable((r.stderr() + r.stdout()).strip(), 400));
        }
        final DetachedLink end = new DetachedLink(ssh, name);
        end.pid = pid;
        return end;
    }

    /**
     * Finds the program started under {@code name} again, through {@code ssh}.
     *
     * @throws IOException when it no longer runs, with the end of its log
     */
    static DetachedLink find(SshSession ssh, String name, String program) throws IOException, SshException {
        final DetachedLink end = new DetachedLink(ssh, name);
        end.refresh();
        if (!end.running) {
            throw new IOException(program + " no longer runs on " + ssh.target() + " (its log, "
                    + end.log() + ", ends: " + tail(end.output, 300) + ")");
        }
        return end;
    }

    /** Reads its state and the end of its log, through the session it has now. */
    void refresh() throws SshException {
        final SshSession.Result r = ssh.run(RemoteCommand.of(READ_STATE, "-c", READ, "sh", name));
        final String out = r.stdout();
        final int eol = out.indexOf('\n');
        final String first = eol < 0 ? out : out.substring(0, eol);
        output = eol < 0 ? "" : out.substring(eol + 1);
        running = first.startsWith("running ");
        if (running) {
            pid = first.substring("running ".length()).strip();
        }
    }

    /** Goes on through {@code again}, a session made after the one it had was lost. */
    void rebind(SshSession again) {
        ssh = again;
    }

    /** Its log on its machine, as a user there would name it (where XDG_STATE_HOME is not set). */
    String log() {
        return "~/.local/state/jamwire/members/" + name + ".log";
    }

    /** Its process id on its machine, as last read. */
    String pid() {
        return pid;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public String link() {
        return null;
    }

    /** The end of its log, as last read. */
    @Override
    public String output() {
        return output;
    }

    /** Waits for the line its program prints once it listens, reading its log every 200 ms. */
    @Override
    public String awaitListening(String program, Duration timeout) {
        final String sign = program.equals("jamwire") ? "waiting for a client" : "Waiting for Peer";
        final long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                refresh();
                if (output.contains(sign)) {
                    return null;
                }
                if (!running) {
                    return " (it exited): " + tail(output, 400);
                }
                if (System.nanoTime() - deadline > 0) {
                    return " within " + timeout.toSeconds() + " s: " + tail(output, 400);
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (SshException e) {
            return ": " + e.getMessage();
        }
    }

    /** Whether its program has said that the first packet came, as {@link ChannelLink} reads it. */
    @Override
    public boolean audioArrived() throws IOException {
        try {
            refresh();
        } catch (SshException e) {
            throw new IOException(e.getMessage(), e);
        }
        return output.contains("jamwire: receiving from ") || output.contains("Received Connection from Peer");
    }

    /** The last {@code most} characters of a program's output, stripped; "…" marks what was cut. */
    static String tail(String output, int most) {
        final String t = output.strip();
        return t.length() > most ? "…" + t.substring(t.length() - most) : t;
    }

    /** Stops it: SIGTERM to its process group, then SIGKILL. A lost session leaves it running. */
    @Override
    public void close() {
        try {
            ssh.run(RemoteCommand.of(STOP_IT, "-c", STOP, "sh", name));
            running = false;
        } catch (SshException e) {
            // The session is gone: the caller made it again first if it could.
        }
    }
}
