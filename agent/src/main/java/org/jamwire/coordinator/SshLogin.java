package org.jamwire.coordinator;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/**
 * Connecting and authenticating one ssh session with JSch: host keys checked strictly against
 * known_hosts (an unknown or changed key refuses the connection, and says so with the key's
 * fingerprint), public-key authentication only, strict key exchange required, and a bound on the
 * wait. Host key types are proposed in OpenSSH's order, those recorded for the host first
 * ({@link HostKeyTypes}), so the agent meets the same key of a host as ssh does. A host key is
 * recorded only after the user accepted its fingerprint. Called on the control or HTTP thread that
 * opens the session, and on the main thread of {@code jamwire lab trust}.
 */
final class SshLogin {

    private SshLogin() {
    }

    /**
     * A connected and authenticated session.
     *
     * @throws SshException of kind UNKNOWN_HOST_KEY (with the key's fingerprint, to show the user),
     *     CHANGED_HOST_KEY, AUTH_FAILED, CONNECT_TIMEOUT, UNREACHABLE or FAILED
     */
    static Session connect(SshTarget target, KnownHosts known, SshSession.Timeouts timeouts) throws SshException {
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
        configure(session, timeouts, HostKeyTypes.proposal(knownTypes(keys, target.knownHostsName())));
        try {
            session.connect((int) timeouts.connect().toMillis());
        } catch (JSchException e) {
            session.disconnect();
            throw translate(target, known, keys, timeouts, e);
        }
        return session;
    }

    /**
     * The host key {@code host} presents when offered the key types {@code knownTypes} first, then the
     * others in OpenSSH's order: the key ssh would meet there. Nothing is recorded and no one logs in;
     * the connection ends once the key has been seen.
     *
     * @throws SshException UNREACHABLE, CONNECT_TIMEOUT or FAILED
     */
    static SshHostKey presentedKey(String host, int port, Set<String> knownTypes, SshSession.Timeouts timeouts)
            throws SshException {
        final JSch jsch = new JSch();
        final Recording keys = new Recording(jsch.getHostKeyRepository());
        jsch.setHostKeyRepository(keys);
        final String where = host + ":" + port;
        final Session session;
        try {
            session = jsch.getSession("jamwire", host, port);
        } catch (JSchException e) {
            throw new SshException(SshException.Kind.FAILED, where + ": " + e.getMessage(), null, e);
        }
        configure(session, timeouts, HostKeyTypes.proposal(knownTypes));
        try {
            session.connect((int) timeouts.connect().toMillis());
        } catch (JSchException e) {
            if (keys.presented != null) {
                return SshHostKey.of(keys.presented);
            }
            final SshException network = networkFailure(where, host, port, timeouts, e);
            throw network != null ? network : new SshException(SshException.Kind.FAILED, "ssh to " + where
                    + " failed: " + e.getMessage(), null, e);
        } finally {
            session.disconnect();
        }
        throw new SshException(SshException.Kind.FAILED, where + " let this session in without checking its host"
                + " key: refusing to trust it");
    }

    /** The key types known_hosts holds for {@code name}, whose algorithms go first in the negotiation. */
    static Set<String> knownTypes(HostKeyRepository known, String name) {
        final HostKey[] recorded = known.getHostKey(name, null);
        final Set<String> types = new HashSet<>();
        for (HostKey k : recorded == null ? new HostKey[0] : recorded) {
            types.add(k.getType());
        }
        return types;
    }

    /**
     * Strict host keys, public keys only, strict key exchange, no questions, keepalives, and the host
     * key algorithms proposed in {@code hostKeyAlgorithms}' order (see {@link HostKeyTypes}).
     */
    static void configure(Session session, SshSession.Timeouts timeouts, String hostKeyAlgorithms) {
        session.setConfig("StrictHostKeyChecking", "yes");
        // The order is decided here, known types first, as OpenSSH decides it: JSch must not reorder it.
        session.setConfig("server_host_key", hostKeyAlgorithms);
        session.setConfig("prefer_known_host_key_types", "no");
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

    private static SshException translate(SshTarget target, KnownHosts known, Recording keys,
            SshSession.Timeouts timeouts, JSchException e) {
        final String fingerprint = keys.presented == null ? null : KnownHosts.fingerprint(keys.presented);
        if (keys.result == HostKeyRepository.NOT_INCLUDED) {
            final SshException unknown = new SshException(SshException.Kind.UNKNOWN_HOST_KEY, target.knownHostsName()
                    + " is not in " + known.file() + ": its key's fingerprint is " + fingerprint + "; compare it with"
                    + " `ssh-keygen -lf " + hostKeyFile(keys.presented) + "` on that machine before accepting it",
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
        final SshException network = networkFailure(target.toString(), target.host(), target.port(), timeouts, e);
        if (network != null) {
            return network;
        }
        final String msg = String.valueOf(e.getMessage());
        if (msg.contains("Auth fail") || msg.contains("Auth cancel")) {
            return new SshException(SshException.Kind.AUTH_FAILED, target + " refused the key " + target.identity()
                    + ": add its public key to ~" + target.user() + "/.ssh/authorized_keys there", null, e);
        }
        return new SshException(SshException.Kind.FAILED, "ssh to " + target + " failed: " + msg, null, e);
    }

    /** Where the host keeps the public half of the key it presented, for the user to compare fingerprints. */
    private static String hostKeyFile(byte[] presented) {
        try {
            return SshHostKey.of(presented).hostKeyFile();
        } catch (IllegalArgumentException e) {
            return "/etc/ssh/ssh_host_ed25519_key.pub";
        }
    }

    /**
     * What a failure to reach {@code where} ({@code host}:{@code port}) or to agree on the handshake
     * means, or null when it is none of those.
     */
    static SshException networkFailure(String where, String host, int port, SshSession.Timeouts timeouts,
            JSchException e) {
        final Throwable cause = e.getCause();
        final String msg = String.valueOf(e.getMessage());
        if (cause instanceof UnknownHostException) {
            return new SshException(SshException.Kind.UNREACHABLE, "unknown host " + host
                    + ": check the name, or use its IP address", null, e);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return new SshException(SshException.Kind.UNREACHABLE, "cannot reach " + where + " ("
                    + cause.getMessage() + "): is sshd running there and port " + port + " open?", null, e);
        }
        if (cause instanceof SocketTimeoutException || msg.contains("timeout") || msg.contains("timed out")) {
            return new SshException(SshException.Kind.CONNECT_TIMEOUT, where + " did not complete the ssh handshake"
                    + " within " + timeouts.connect().toMillis() + " ms: the host or its sshd is not answering",
                    null, e);
        }
        if (msg.contains("strict")) {
            return new SshException(SshException.Kind.FAILED, where + " does not offer strict key exchange"
                    + " (OpenSSH 9.6 or a patched older one does): update its sshd", null, e);
        }
        if (msg.contains("Algorithm negotiation fail") && msg.contains("server_host_key")) {
            return new SshException(SshException.Kind.FAILED, where + " offers none of the host key types "
                    + String.join(", ", HostKeyTypes.OPENSSH_ORDER) + ": give its sshd an ed25519 host key"
                    + " (ssh-keygen -A)", null, e);
        }
        return null;
    }

    /**
     * Records the key of a host the user has seen and accepted, after checking that the host still
     * presents the key with that fingerprint. A host whose recorded key changed is never overwritten.
     *
     * @throws SshException CHANGED_HOST_KEY when a different key is already recorded, FAILED when
     *     the host now presents a key with another fingerprint, or any connection failure
     */
    static void confirmHostKey(SshTarget target, KnownHosts known, SshSession.Timeouts timeouts, String fingerprint)
            throws SshException {
        try {
            connect(target, known, timeouts).disconnect();
            return; // already known and unchanged
        } catch (SshException e) {
            if (e.kind() != SshException.Kind.UNKNOWN_HOST_KEY) {
                throw e;
            }
            if (!e.fingerprint().equals(fingerprint)) {
                throw new SshException(SshException.Kind.FAILED, target.knownHostsName() + " now presents the key "
                        + e.fingerprint() + ", not the " + fingerprint + " that was accepted: nothing recorded",
                        null, e);
            }
            try {
                known.addConfirmed(target.knownHostsName(), new HostKey(target.knownHostsName(), e.presentedKey()));
            } catch (IOException | JSchException io) {
                throw new SshException(SshException.Kind.FAILED, "cannot record the key of " + target.knownHostsName()
                        + " in " + known.file() + ": " + io.getMessage(), null, io);
            }
        }
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
}
