package org.jamwire.coordinator;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One ssh connection to a peer, with JSch: opened by {@link SshLogin} (host keys checked strictly,
 * public-key authentication only, strict key exchange), with no agent or X11 forwarding and a bound
 * on every wait. Commands run as fixed argv ({@link RemoteCommand}) and are waited for, or left
 * running as a {@link RemoteProcess}; secrets go over their stdin. Local ports forward to the peer's
 * loopback. Used on one control thread at a time.
 */
public final class SshSession implements AutoCloseable {

    /**
     * How long each wait may take.
     *
     * @param connect the TCP connection, the ssh handshake and authentication together
     * @param exec one command, from start to exit
     * @param keepalive how often to probe a quiet server
     * @param keepaliveMisses probes unanswered before the connection counts as dead
     */
    public record Timeouts(Duration connect, Duration exec, Duration keepalive, int keepaliveMisses) {
        /** 10 s to connect, 30 s per command, a keepalive every 5 s, dead after 3 misses. */
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5), 3);
        }
    }

    /**
     * What a command did.
     *
     * @param exitStatus its exit status
     * @param stdout what it printed, up to the cap
     * @param stderr what it printed on stderr, up to the cap
     */
    public record Result(int exitStatus, String stdout, String stderr) {
    }

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final SshTarget target;
    private final Session session;
    private final Timeouts timeouts;

    private SshSession(SshTarget target, Session session, Timeouts timeouts) {
        this.target = target;
        this.session = session;
        this.timeouts = timeouts;
    }

    /**
     * Connects and authenticates.
     *
     * @throws SshException of kind UNKNOWN_HOST_KEY (with the key's fingerprint, to show the user),
     *     CHANGED_HOST_KEY, AUTH_FAILED, CONNECT_TIMEOUT, UNREACHABLE or FAILED
     */
    public static SshSession open(SshTarget target, KnownHosts known, Timeouts timeouts) throws SshException {
        return new SshSession(target, SshLogin.connect(target, known, timeouts), timeouts);
    }

    /**
     * Records the key of a host the user has seen and accepted, after checking that the host still
     * presents the key with that fingerprint. A host whose recorded key changed is never overwritten.
     *
     * @throws SshException CHANGED_HOST_KEY when a different key is already recorded, FAILED when
     *     the host now presents a key with another fingerprint, or any connection failure
     */
    public static void confirmHostKey(SshTarget target, KnownHosts known, Timeouts timeouts, String fingerprint)
            throws SshException {
        SshLogin.confirmHostKey(target, known, timeouts, fingerprint);
    }

    /**
     * The host key {@code host} presents to a client that knows keys of {@code knownKeyTypes} for it
     * (none: an empty set), as ssh would meet it ({@link HostKeyTypes}); nothing is recorded and no one
     * logs in.
     *
     * @throws SshException UNREACHABLE, CONNECT_TIMEOUT or FAILED
     */
    public static SshHostKey presentedHostKey(String host, int port, Set<String> knownKeyTypes, Timeouts timeouts)
            throws SshException {
        return SshLogin.presentedKey(host, port, knownKeyTypes, timeouts);
    }

    /** Runs a command with nothing on its stdin. */
    public Result run(RemoteCommand command) throws SshException {
        return run(command, null);
    }

    /**
     * Runs a command and waits for it, up to the exec timeout.
     *
     * @param stdin bytes written to its stdin before it is closed (secrets go here, never in argv),
     *     or null
     * @throws SshException EXEC_TIMEOUT, KEEPALIVE_TIMEOUT or FAILED
     */
    public Result run(RemoteCommand command, byte[] stdin) throws SshException {
        final CappedOutput out = new CappedOutput();
        final CappedOutput err = new CappedOutput();
        final ChannelExec channel = execChannel(command, out, err);
        try {
            final OutputStream in = channel.getOutputStream();
            channel.connect((int) timeouts.connect().toMillis());
            if (stdin != null) {
                in.write(stdin);
                in.flush();
            }
            in.close();
            final long deadline = System.nanoTime() + timeouts.exec().toNanos();
            while (!channel.isClosed()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new SshException(SshException.Kind.EXEC_TIMEOUT, "'" + command.argv().get(0) + "' on "
                            + target + " did not finish within " + timeouts.exec().toMillis() + " ms");
                }
                if (!session.isConnected()) {
                    throw new SshException(SshException.Kind.KEEPALIVE_TIMEOUT, "the connection to " + target
                            + " died while '" + command.argv().get(0) + "' ran (no answer to "
                            + timeouts.keepaliveMisses() + " keepalives " + timeouts.keepalive().toMillis()
                            + " ms apart)");
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            return new Result(channel.getExitStatus(), out.text(), err.text());
        } catch (JSchException | IOException e) {
            throw lost(e);
        } finally {
            channel.disconnect();
        }
    }

    /**
     * Starts a command on a terminal of its own and leaves it running: when the channel closes,
     * for whatever reason, the terminal hangs up and the command gets SIGHUP, so nothing is left
     * running on the peer. Its output and errors both come as output.
     *
     * @throws SshException when the channel cannot be opened
     */
    public RemoteProcess start(RemoteCommand command) throws SshException {
        final CappedOutput out = new CappedOutput();
        final CappedOutput err = new CappedOutput();
        final ChannelExec channel = execChannel(command, out, err);
        channel.setPty(true);
        try {
            final OutputStream terminal = channel.getOutputStream();
            channel.connect((int) timeouts.connect().toMillis());
            return new RemoteProcess(session, channel, terminal, out, err, command.argv().get(0) + " on " + target,
                    timeouts.exec());
        } catch (JSchException | IOException e) {
            channel.disconnect();
            throw lost(e);
        }
    }

    /** An exec channel for {@code command}, not yet connected: no forwarding, output kept up to the cap. */
    private ChannelExec execChannel(RemoteCommand command, CappedOutput out, CappedOutput err) throws SshException {
        final ChannelExec channel;
        try {
            channel = (ChannelExec) session.openChannel("exec");
        } catch (JSchException e) {
            throw lost(e);
        }
        channel.setCommand(command.line().getBytes(StandardCharsets.UTF_8));
        channel.setAgentForwarding(false);
        channel.setXForwarding(false);
        channel.setOutputStream(out, true);
        channel.setErrStream(err, true);
        return channel;
    }

    private SshException lost(Exception e) {
        if (!session.isConnected()) {
            return new SshException(SshException.Kind.KEEPALIVE_TIMEOUT, "the connection to " + target + " is gone: "
                    + e.getMessage(), null, e);
        }
        return new SshException(SshException.Kind.FAILED, "ssh to " + target + ": " + e.getMessage(), null, e);
    }

    /**
     * Forwards a local port on 127.0.0.1 to {@code remotePort} on the peer's own loopback.
     *
     * @return the local port
     */
    public int forward(int remotePort) throws SshException {
        try {
            return session.setPortForwardingL("127.0.0.1", 0, "127.0.0.1", remotePort);
        } catch (JSchException e) {
            throw lost(e);
        }
    }

    /** Whether the session is still connected. */
    public boolean isOpen() {
        return session.isConnected();
    }

    /** Where this session goes. */
    public SshTarget target() {
        return target;
    }

    @Override
    public void close() {
        session.disconnect();
    }
}
