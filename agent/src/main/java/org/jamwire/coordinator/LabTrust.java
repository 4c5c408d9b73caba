package org.jamwire.coordinator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Records a lab host's key for both ssh clients of the lab, once the user accepted its fingerprint:
 * OpenSSH's, which {@code ansible-playbook} runs ({@link OpenSshKnownHosts}), and the agent's, which
 * reads its own known_hosts. The key is the one both clients will meet: the host is offered the key
 * types either file already holds for it first, then the others in OpenSSH's order
 * ({@link HostKeyTypes}), so a host neither knows gives its ed25519 key. A key already recorded is not
 * added again; a key that differs from the one recorded for its type, or a revoked one, is refused
 * and nothing is written. Called on the main thread of {@code jamwire lab trust}.
 */
public final class LabTrust {

    /** Asks the user whether to record a key. */
    @FunctionalInterface
    public interface Confirmation {
        /** True when the user accepted {@code offer}'s key. */
        boolean accept(Offer offer);
    }

    /**
     * A key the host presented, not yet recorded in at least one of the files.
     *
     * @param host the inventory's host
     * @param openSsh where and under which name ssh records it
     * @param key the key
     * @param inOpenSsh whether ssh's files hold it already
     * @param agentFile the agent's known_hosts
     * @param inAgent whether the agent's file holds it already
     */
    public record Offer(InventoryHosts.Host host, OpenSshKnownHosts openSsh, SshHostKey key, boolean inOpenSsh,
            Path agentFile, boolean inAgent) {
        /** The key's line as {@code ssh-keygen -lf} prints it, e.g. {@code 256 SHA256:... host (ED25519)}. */
        public String line() {
            return key.describe(openSsh.name());
        }
    }

    /** How one host ended. */
    public enum Outcome {
        /** Recorded now, in the files that lacked it. */
        RECORDED,
        /** Both files held it already: nothing written, nothing asked. */
        ALREADY_RECORDED,
        /** The user did not accept it: nothing written. */
        DECLINED,
        /** A different key is recorded for its type, or it is revoked: nothing written. */
        REFUSED,
        /** The host could not be reached, or a file could not be read or written. */
        FAILED
    }

    /**
     * What happened to one host.
     *
     * @param outcome how it ended
     * @param message what to tell the user
     * @param key the key it presented, or null when none was seen
     * @param line the key's line as {@code ssh-keygen -lf} prints it under ssh's name for the host, or null
     */
    public record Result(Outcome outcome, String message, SshHostKey key, String line) {
        Result(Outcome outcome, String message) {
            this(outcome, message, null, (String) null);
        }

        Result(Outcome outcome, String message, SshHostKey key, OpenSshKnownHosts openSsh) {
            this(outcome, message, key, key.describe(openSsh.name()));
        }
    }

    private final Path openSshOverride;
    private final Path agentFile;
    private final SshSession.Timeouts timeouts;

    /**
     * @param openSshOverride the file to record ssh's keys in instead of the one ssh would use, or null
     * @param agentFile the agent's known_hosts
     */
    public LabTrust(Path openSshOverride, Path agentFile, SshSession.Timeouts timeouts) {
        this.openSshOverride = openSshOverride;
        this.agentFile = agentFile;
        this.timeouts = timeouts;
    }

    /** Fetches {@code host}'s key, asks {@code confirmation} unless both files hold it, and records it. */
    public Result trust(InventoryHosts.Host host, Confirmation confirmation) throws InterruptedException {
        final OpenSshKnownHosts openSsh = OpenSshKnownHosts.of(host.address(), host.port(), host.knownHostsFile(),
                openSshOverride);
        final String agentName = host.knownHostsName();
        final List<SshHostKey> sshKeys;
        final List<SshHostKey> agentKeys;
        final KnownHostsFile agent;
        try {
            sshKeys = openSsh.keys();
            agent = KnownHostsFile.read(agentFile);
            agentKeys = agent.keysFor(agentName);
        } catch (IOException e) {
            return new Result(Outcome.FAILED, "cannot read a known_hosts file: " + e.getMessage());
        }
        final Set<String> knownTypes = new HashSet<>();
        sshKeys.forEach(k -> knownTypes.add(k.type()));
        agentKeys.forEach(k -> knownTypes.add(k.type()));
        final SshHostKey key;
        try {
            key = SshSession.presentedHostKey(host.address(), host.port(), knownTypes, timeouts);
        } catch (SshException e) {
            return new Result(Outcome.FAILED, e.getMessage());
        }
        try {
            if (openSsh.revokes(key) || agent.revokes(key)) {
                return new Result(Outcome.REFUSED, "the key " + key.fingerprint() + " of " + host.name()
                        + " is marked @revoked in a known_hosts file: not recorded", key, openSsh);
            }
        } catch (IOException e) {
            return new Result(Outcome.FAILED, "cannot read a known_hosts file: " + e.getMessage(), key, openSsh);
        }
        final String changedSsh = changed(sshKeys, key, openSsh.name(), openSsh.recordIn());
        final String changedAgent = changed(agentKeys, key, agentName, agentFile);
        if (changedSsh != null || changedAgent != null) {
            return new Result(Outcome.REFUSED, changedSsh != null ? changedSsh : changedAgent, key, openSsh);
        }
        final Offer offer = new Offer(host, openSsh, key, sshKeys.contains(key), agentFile, agentKeys.contains(key));
        if (offer.inOpenSsh() && offer.inAgent()) {
            return new Result(Outcome.ALREADY_RECORDED, "already recorded for ssh and for the agent", key, openSsh);
        }
        if (!confirmation.accept(offer)) {
            return new Result(Outcome.DECLINED, "not recorded", key, openSsh);
        }
        final List<String> written = new ArrayList<>();
        try {
            if (!offer.inOpenSsh()) {
                KnownHostsFile.append(openSsh.recordIn(), openSsh.name(), key, openSsh.hashNames());
                written.add(openSsh.recordIn() + " (ssh)");
            }
            if (!offer.inAgent()) {
                KnownHostsFile.append(agentFile, agentName, key, false);
                written.add(agentFile + " (the agent)");
            }
        } catch (IOException e) {
            return new Result(Outcome.FAILED, "cannot record the key: " + e.getMessage()
                    + (written.isEmpty() ? "" : "; it is recorded in " + written.get(0)), key, openSsh);
        }
        return new Result(Outcome.RECORDED, "recorded in " + String.join(" and ", written), key, openSsh);
    }

    /** The loud refusal when {@code recorded} holds another key of {@code key}'s type, else null. */
    private static String changed(List<SshHostKey> recorded, SshHostKey key, String name, Path file) {
        for (SshHostKey old : recorded) {
            if (old.type().equals(key.type()) && !old.equals(key)) {
                return "WARNING: the " + key.label() + " host key of " + name + " has CHANGED: " + old.fingerprint()
                        + " is recorded, " + key.fingerprint() + " is presented now. Someone may be intercepting"
                        + " the connection; nothing was recorded. If the machine was reinstalled, check the new key"
                        + " there (ssh-keygen -lf " + key.hostKeyFile() + ") and remove the old one with"
                        + " `ssh-keygen -f " + file + " -R '" + name + "'`, then run this again";
            }
        }
        return null;
    }
}
