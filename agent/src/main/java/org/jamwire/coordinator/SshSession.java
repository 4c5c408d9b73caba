package org.jamwire.coordinator;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One ssh connection to a peer, with JSch: host keys checked strictly against known_hosts (an
 * unknown or changed key refuses the connection), public-key authentication only, strict key
 * exchange required, no agent or X11 forwarding, and a bound on every wait. Commands run as fixed
 * argv ({@link RemoteCommand}); secrets go over their stdin. Used on one control thread at a time.
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

    /** Output kept per stream, so that a peer cannot fill the agent's memory. */
    static final int MAX_OUTPUT_BYTES = 1 << 20;
    /** What a terminal turns into SIGINT. */
    private static final int CTRL_C = 3;
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
        final JSch jsch = new JSch();
        final Recording keys;
        try {
            keys = new Recording(known.repository(jsch));
            jsch.setHostKeyRepository(keys);
            jsch.addIdentity(target.identity().toString());
        } catch (JSchException e) {
            throw new SshException(SshException.Kind.FAILED, "cannot use the key " + target.identity() + " or "
                    + known.file() + ": " + e.getMessage(), null, e);
        }
        final Session session;
        try {
            session = jsch.getSession(target.user(), target.host(), target.port());
        } catch (JSchException e) {
            throw new SshException(SshException.Kind.FAILED, e.getMessage(), null, e);
        }
        configure(session, timeouts);
        try {
            session.connect((int) timeouts.connect().toMillis());
        } catch (JSchException e) {
            session.disconnect();
            throw translate(target, known, keys, timeouts, e);
        }
        return new SshSession(target, session, timeouts);
    }

    private static void configure(Session session, Timeouts timeouts) {
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.setConfig("enable_strict_kex", "yes");
        session.setConfig("require_strict_kex", "yes");
        session.setUserInfo(new Refusing());
        try {
            session.setServerAliveInterval((int) timeouts.keepalive().toMillis());
            session.setServerAliveCountMax(timeouts.keepaliveMisses());
        } catch (JSchException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SshException translate(SshTarget target, KnownHosts known, Recording keys, Timeouts timeouts,
            JSchException e) {
        final String fingerprint = keys.presented == null ? null : KnownHosts.fingerprint(keys.presented);
        if (keys.result == HostKeyRepository.NOT_INCLUDED) {
            final SshException unknown = new SshException(SshException.Kind.UNKNOWN_HOST_KEY, target.knownHostsName()
                    + " is not in " + known.file() + ": its key's fingerprint is " + fingerprint + "; compare it with"
                    + " `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on that machine before accepting it",
                    fingerprint, e);
            unknown.presentedKey = keys.presented;
            return unknown;
        }
        if (keys.result == HostKeyRepository.CHANGED) {
            return new SshException(SshException.Kind.CHANGED_HOST_KEY, "WARNING: the host key of "
                    + target.knownHostsName() + " has CHANGED since it was recorded in " + known.file() + " (it is now "
                    + fingerprint + "). Someone may be intercepting the connection. Refusing to connect. If the"
                    + " machine was reinstalled, check the new key there and remove the old one with"
                    + " `ssh-keygen -f " + known.file() + " -R '" + target.knownHostsName() + "'`", fingerprint, e);
        }
        final Throwable cause = e.getCause();
        final String msg = String.valueOf(e.getMessage());
        if (cause instanceof UnknownHostException) {
            return new SshException(SshException.Kind.UNREACHABLE, "unknown host " + target.host()
                    + ": check the name, or use its IP address", null, e);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return new SshException(SshException.Kind.UNREACHABLE, "cannot reach " + target + " ("
                    + cause.getMessage() + "): is sshd running there and port " + target.port() + " open?", null, e);
        }
        if (cause instanceof SocketTimeoutException || msg.contains("timeout") || msg.contains("timed out")) {
            return new SshException(SshException.Kind.CONNECT_TIMEOUT, target + " did not complete the ssh handshake"
                    + " within " + timeouts.connect().toMillis() + " ms: the host or its sshd is not answering", null, e);
        }
        if (msg.contains("Auth fail") || msg.contains("Auth cancel")) {
            return new SshException(SshException.Kind.AUTH_FAILED, target + " refused the key " + target.identity()
                    + ": add its public key to ~" + target.user() + "/.ssh/authorized_keys there", null, e);
        }
        if (msg.contains("strict")) {
            return new SshException(SshException.Kind.FAILED, target + " does not offer strict key exchange"
                    + " (OpenSSH 9.6 or a patched older one does): update its sshd", null, e);
        }
        return new SshException(SshException.Kind.FAILED, "ssh to " + target + " failed: " + msg, null, e);
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
        try {
            open(target, known, timeouts).close();
            return; // already known and unchanged
        } catch (SshException e) {
            if (e.kind() != SshException.Kind.UNKNOWN_HOST_KEY) {
                throw e;
            }
            if (!e.fingerprint().equals(fingerprint)) {
                throw new SshException(SshException.Kind.FAILED, target.knownHostsName() + " now presents the key "
                        + e.fingerprint() + ", not the " + fingerprint + " that was accepted: nothing recorded", null, e);
            }
            try {
                known.addConfirmed(target.knownHostsName(), new HostKey(target.knownHostsName(), e.presentedKey()));
            } catch (IOException | JSchException io) {
                throw new SshException(SshException.Kind.FAILED, "cannot record the key of " + target.knownHostsName()
                        + " in " + known.file() + ": " + io.getMessage(), null, io);
            }
        }
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
        final Capped out = new Capped();
        final Capped err = new Capped();
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
                            + timeouts.keepaliveMisses() + " keepalives " + timeouts.keepalive().toMillis() + " ms apart)");
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
     * A command left running on the peer, such as a link's server: its output is kept as it comes,
     * and it ends when told to or when this session closes (sshd then hangs it up).
     */
    public final class Running implements AutoCloseable {
        private final ChannelExec channel;
        private final OutputStream terminal;
        private final Capped out;
        private final Capped err;
        private final String program;

        private Running(ChannelExec channel, OutputStream terminal, Capped out, Capped err, String program) {
            this.channel = channel;
            this.terminal = terminal;
            this.out = out;
            this.err = err;
            this.program = program;
        }

        /** Whether it still runs. */
        public boolean isRunning() {
            return !channel.isClosed() && session.isConnected();
        }

        /** Its exit status, or -1 while it runs. */
        public int exitStatus() {
            return channel.isClosed() ? channel.getExitStatus() : -1;
        }

        /** What it printed so far, stdout then stderr. */
        public String output() {
            return out.text() + err.text();
        }

        /**
         * Waits until its output contains {@code text}, it ends, or {@code timeout} passes.
         *
         * @return whether the text appeared
         */
        public boolean awaitOutput(String text, java.time.Duration timeout) {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() - deadline < 0) {
                if (output().contains(text)) {
                    return true;
                }
                if (!isRunning()) {
                    return output().contains(text);
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            return false;
        }

        /**
         * Asks it to stop as Ctrl-C would, by typing Ctrl-C on its terminal (sshd does not take
         * signal requests), waits up to the exec timeout, then hangs up, which sends it SIGHUP.
         */
        @Override
        public void close() {
            try {
                if (isRunning()) {
                    terminal.write(CTRL_C);
                    terminal.flush();
                    final long deadline = System.nanoTime() + timeouts.exec().toNanos();
                    while (isRunning() && System.nanoTime() - deadline < 0) {
                        LockSupport.parkNanos(POLL_NANOS);
                    }
                }
            } catch (IOException e) {
                // Hanging up below ends it anyway.
            } finally {
                channel.disconnect();
            }
        }

        @Override
        public String toString() {
            return program + " on " + target;
        }
    }

    /**
     * Starts a command on a terminal of its own and leaves it running: when the channel closes,
     * for whatever reason, the terminal hangs up and the command gets SIGHUP, so nothing is left
     * running on the peer. Its output and errors both come as output.
     *
     * @throws SshException when the channel cannot be opened
     */
    public Running start(RemoteCommand command) throws SshException {
        final Capped out = new Capped();
        final Capped err = new Capped();
        final ChannelExec channel = execChannel(command, out, err);
        channel.setPty(true);
        try {
            final OutputStream terminal = channel.getOutputStream();
            channel.connect((int) timeouts.connect().toMillis());
            return new Running(channel, terminal, out, err, command.argv().get(0));
        } catch (JSchException | IOException e) {
            channel.disconnect();
            throw lost(e);
        }
    }

    /** An exec channel for {@code command}, not yet connected: no forwarding, output kept up to the cap. */
    private ChannelExec execChannel(RemoteCommand command, Capped out, Capped err) throws SshException {
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

    /** Keeps what the server presented and what known_hosts said of it. */
    private static final class Recording implements HostKeyRepository {
        private final HostKeyRepository file;
        volatile byte[] presented;
        volatile int result = -1;

        Recording(HostKeyRepository file) {
            this.file = file;
        }

        @Override
        public int check(String host, byte[] key) {
            presented = key.clone();
            result = file.check(host, key);
            return result;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // Never: keys are recorded only through KnownHosts.addConfirmed.
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return file.getKnownHostsRepositoryID();
        }

        @Override
        public HostKey[] getHostKey() {
            return file.getHostKey();
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return file.getHostKey(host, type);
        }
    }

    /** Answers no to every question JSch might ask: nothing is decided interactively. */
    private static final class Refusing implements UserInfo {
        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return null;
        }

        @Override
        public boolean promptPassword(String message) {
            return false;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }
    }

    /** Keeps up to {@link #MAX_OUTPUT_BYTES} and drops the rest. */
    private static final class Capped extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (bytes.size() < MAX_OUTPUT_BYTES) {
                bytes.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, Math.max(0, Math.min(len, MAX_OUTPUT_BYTES - bytes.size())));
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
