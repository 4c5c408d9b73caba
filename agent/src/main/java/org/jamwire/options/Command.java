package org.jamwire.options;

import java.util.List;
import java.util.Objects;
import org.jamwire.hub.HubConfig;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.netsim.Impairment;

/** What a command line asks for; produced by {@link CommandLine#parse(String[])}. */
public sealed interface Command {

    /**
     * Run one P2P link.
     *
     * @param config the link, validated
     * @param warnings things the user should know before it starts (e.g. 32-bit samples with a
     *     jacktrip peer), one sentence each; empty when there are none
     */
    record Run(LinkConfig config, List<String> warnings) implements Command {
        /** Copies the warnings. */
        public Run {
            Objects.requireNonNull(config, "config");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Run a hub client: ask the hub for a UDP port over TCP, then run a P2P client link to it.
     *
     * @param config the link; its peer port is the hub's TCP port until the hub answers
     * @param remoteName the name for the hub ({@code -K}), or "" for the hub's default
     * @param login how to log in with {@code -A}, or null for a hub without authentication
     * @param warnings as for {@link Run}
     */
    record HubClient(LinkConfig config, String remoteName, HubLoginOptions login, List<String> warnings)
            implements Command {
        /** Copies the warnings. */
        public HubClient {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(remoteName, "remoteName");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Run a hub server.
     *
     * @param config the hub
     * @param warnings as for {@link Run}
     */
    record HubServer(HubConfig config, List<String> warnings) implements Command {
        /** Copies the warnings. */
        public HubServer {
            Objects.requireNonNull(config, "config");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Print the help.
     *
     * @param text the help, ending with a newline
     */
    record Help(String text) implements Command {
        /** Checks the text is there. */
        public Help {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Print the version. */
    record Version() implements Command {
    }

    /**
     * Run {@code jamwire demo}: a server and a client on the built-in backend, streaming to each
     * other over the loopback interface.
     *
     * @param seconds how long to stream, 0 for until Ctrl-C
     * @param channels channels each way
     * @param bitResolution 8, 16, 24 or 32 bits per sample on the wire
     * @param queue receive queue length in packets
     * @param redundancy copies of each packet per datagram, 1 for none
     * @param bufferSize frames per period
     * @param sampleRate sample rate in Hz
     * @param signal test signal each endpoint sends: sine, ramp or silence
     */
    record Demo(int seconds, int channels, int bitResolution, int queue, int redundancy,
            int bufferSize, int sampleRate, String signal) implements Command {

        /** The demo's server end, on the built-in backend, bound to {@code bindPort}. */
        public LinkConfig serverConfig(int bindPort) {
            return endpoint(Role.SERVER, null, "demo-server", bindPort, bindPort);
        }

        /** The demo's client end, bound to {@code bindPort}, sending to the server on loopback. */
        public LinkConfig clientConfig(int bindPort, int serverPort) {
            return endpoint(Role.CLIENT, "127.0.0.1", "demo-client", bindPort, serverPort);
        }

        private LinkConfig endpoint(Role role, String host, String name, int bindPort, int peerPort) {
            return LinkConfig.builder(role, host)
                    .channels(channels)
                    .bitResolution(bitResolution)
                    .queue(queue)
                    .redundancy(redundancy)
                    .bindPort(bindPort)
                    .peerPort(peerPort)
                    .clientName(name)
                    .autoConnect(false)
                    .expectedBufferSize(bufferSize)
                    .backend(LinkConfig.BackendKind.BUILTIN)
                    .builtin(new LinkConfig.BuiltinSettings(sampleRate, bufferSize, sampleRate, signal))
                    .build();
        }
    }

    /**
     * Run {@code jamwire netsim}: a relay between a client and a server that impairs what passes.
     *
     * @param listenPort the client-facing UDP port, 0 for any free one
     * @param serverHost the server's host name or address, not yet resolved
     * @param serverPort the server's UDP port
     * @param toServer what happens to datagrams from the client to the server
     * @param toClient what happens to datagrams from the server to the client
     * @param seconds how long to relay, 0 for until Ctrl-C
     */
    record Netsim(int listenPort, String serverHost, int serverPort, Impairment toServer,
            Impairment toClient, int seconds, List<JitterStep> jitterSteps) implements Command {
        /** Checks the parts are there. */
        public Netsim {
            Objects.requireNonNull(serverHost, "serverHost");
            Objects.requireNonNull(toServer, "toServer");
            Objects.requireNonNull(toClient, "toClient");
            jitterSteps = List.copyOf(jitterSteps);
        }
    }

    /** A change of the relay's jitter {@code seconds} after it started, to {@code jitterMs}. */
    record JitterStep(double seconds, double jitterMs) {
    }

    /**
     * Run {@code jamwire agent}: the long-running service with the HTTP API, the live feed and the
     * web UI. A null field was not given on the command line.
     *
     * @param listenAddress the address to listen on
     * @param port the TCP port
     * @param allowHosts further host names allowed in the Host header
     * @param tokenFile where the token is kept
     * @param configFile the config file
     * @param jackServer the JACK server to watch
     * @param feedRateHz the live feed's default rate
     * @param labInventory an Ansible inventory whose lab group's hosts are added as peers at start
     */
    record Agent(String listenAddress, Integer port, List<String> allowHosts, String tokenFile, String configFile,
            String jackServer, Integer feedRateHz, String labInventory) implements Command {
    }

    /**
     * Run {@code jamwire linktest}: echo test datagrams, or measure a path against an echo.
     *
     * @param echo whether this end echoes
     * @param host the echo's host when measuring, else null
     * @param port the echo's port
     * @param seconds how long to send or echo
     * @param channels channels of the link the datagrams stand for
     * @param bitResolution its bits per sample
     * @param bufferSize its frames per period
     * @param sampleRate its rate
     */
    record LinkTest(boolean echo, String host, int port, int seconds, int channels, int bitResolution,
            int bufferSize, int sampleRate) implements Command {

        /** The size of the link's datagrams: jacktrip's 16-byte header and the samples. */
        public int datagramBytes() {
            return 16 + channels * bufferSize * (bitResolution / 8);
        }

        /** Time between datagrams, in nanoseconds. */
        public long periodNanos() {
            return Math.round(1e9 * bufferSize / sampleRate);
        }
    }

    /**
     * Run {@code jamwire lab trust INVENTORY}: record the host keys of the inventory's lab group for
     * ssh and for the agent, each after the user accepted its fingerprint. A null file was not given.
     *
     * @param inventory the Ansible inventory file
     * @param knownHosts the known_hosts file for ssh (and so ansible-playbook), or null for ssh's own
     * @param agentKnownHosts the agent's known_hosts, or null for the one beside its token file
     * @param fingerprints fingerprints accepted without asking ({@code SHA256:...}); empty when none
     */
    record LabTrust(String inventory, String knownHosts, String agentKnownHosts, List<String> fingerprints)
            implements Command {
        /** Checks the inventory is there and copies the fingerprints. */
        public LabTrust {
            Objects.requireNonNull(inventory, "inventory");
            fingerprints = List.copyOf(fingerprints);
        }
    }
}
