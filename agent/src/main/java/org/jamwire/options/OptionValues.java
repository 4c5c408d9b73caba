package org.jamwire.options;

import java.util.List;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.link.LinkConfig.BackendKind;
import org.jamwire.link.LinkConfig.PeerPin;
import org.jamwire.link.Role;

/**
 * Everything the options of one command line said, before defaults are filled in and the
 * settings are checked against each other. Filled by the option handlers on the control thread.
 */
final class OptionValues {

    /** Server, or client of a host; of a P2P link or of a hub. */
    record Mode(Role role, String host, boolean hub) {
    }

    /** A host and a UDP port, as in {@code --to HOST:PORT}. */
    record HostPort(String host, int port) {
    }

    final Slot<Mode> mode = new Slot<>("a link is either a server (-s, or -r in the old manual)"
            + " or a client (-c HOST, or -t HOST in the old manual) of one host, or one end of a hub"
            + " (-S, or -C HOST)");
    final Slot<String> remoteName = Slot.once("the name for the hub");
    final Slot<Integer> udpBasePort = Slot.once("the UDP base port");
    final Slot<Integer> hubPatch = Slot.once("the hub patch mode");
    final Slot<Boolean> includeServer = Slot.once("-i");
    final Slot<Boolean> upmix = Slot.once("-u");
    final Slot<Boolean> auth = Slot.once("-A");
    final Slot<String> certFile = Slot.once("the certificate file");
    final Slot<String> keyFile = Slot.once("the key file");
    final Slot<String> credsFile = Slot.once("the credentials file");
    final Slot<String> username = Slot.once("the user name");
    final Slot<String> passwordFile = Slot.once("the password file");
    final Slot<String> hubCert = Slot.once("the hub's certificate");
    final Slot<Boolean> insecureSkipCertCheck = Slot.once("--insecure-skip-cert-check");
    final Slot<Integer> channels = Slot.once("the channel count");
    final Slot<Integer> sendChannels = Slot.once("the send channel count");
    final Slot<Integer> receiveChannels = Slot.once("the receive channel count");
    final Slot<Integer> bitResolution = Slot.once("the bit resolution");
    final Slot<Integer> queue = Slot.once("the queue length");
    final Slot<Integer> maxQueueMillis = Slot.once("the automatic queue's cap");
    final Slot<Integer> redundancy = Slot.once("the redundancy");
    final Slot<UnderrunPolicy> underrun = Slot.once("the underrun policy");
    final Slot<Boolean> noDriftCorrection = Slot.once("drift correction");
    final Slot<Integer> bufferSize = Slot.once("the buffer size");
    final Slot<Integer> bindPort = Slot.once("the bind port");
    final Slot<Integer> peerPort = Slot.once("the peer port");
    final Slot<PeerPin> peer = Slot.once("the pinned peer");
    final Slot<Integer> portOffset = Slot.once("the port offset");
    final Slot<Boolean> timeout = Slot.once("--timeout");
    final Slot<BackendKind> backend = Slot.once("the audio backend");
    final Slot<String> jackServer = Slot.once("the JACK server name");
    final Slot<String> clientName = Slot.once("the client name");
    final Slot<Boolean> noAutoConnect = Slot.once("-D");
    final Slot<Integer> sampleRate = Slot.once("the sample rate");
    final Slot<String> signal = Slot.once("the test signal");
    final Slot<Integer> ioStatSeconds = Slot.once("the stat interval");
    final Slot<Integer> seconds = Slot.once("the length of the run");
    final Slot<HostPort> relayTo = Slot.once("the server to relay to");
    final Slot<Integer> listenPort = Slot.once("the listening port");
    final Slot<Double> loss = Slot.once("the loss");
    final Slot<Double> burst = Slot.once("the burst chance");
    final Slot<Double> burstLength = Slot.once("the burst length");
    final Slot<Double> duplicate = Slot.once("the duplicate chance");
    final Slot<Double> reorder = Slot.once("the reorder chance");
    final Slot<Double> delayMs = Slot.once("the delay");
    final Slot<Double> jitterMs = Slot.once("the jitter");
    final Slot<List<Command.JitterStep>> jitterSteps = Slot.once("the jitter steps");
    final Slot<Integer> rateKbits = Slot.once("the rate limit");
    final Slot<String> direction = Slot.once("the direction");
    final Slot<Integer> seed = Slot.once("the seed");
    final Slot<String> listenAddress = Slot.once("the listen address");
    final Slot<Integer> agentPort = Slot.once("the agent's port");
    final Slot<List<String>> allowHosts = Slot.once("the allowed host names");
    final Slot<String> tokenFile = Slot.once("the token file");
    final Slot<String> configFile = Slot.once("the config file");
    final Slot<String> agentJackServer = Slot.once("the JACK server name");
    final Slot<Integer> feedRate = Slot.once("the feed rate");
    final Slot<String> labInventory = Slot.once("the lab's inventory file");
    final Slot<Boolean> echo = Slot.once("--echo");
    final Slot<HostPort> testTo = Slot.once("the echo to test against");
    final Slot<Integer> testPort = Slot.once("the echo's port");
    final Slot<String> knownHosts = Slot.once("ssh's known_hosts file");
    final Slot<String> agentKnownHosts = Slot.once("the agent's known_hosts file");
    final Slot<List<String>> fingerprints = Slot.once("the accepted fingerprints");
}
