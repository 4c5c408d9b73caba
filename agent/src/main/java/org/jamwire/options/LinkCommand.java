package org.jamwire.options;

import static org.jamwire.options.LinkDefaults.DEFAULT_BITS;
import static org.jamwire.options.LinkDefaults.DEFAULT_BUILTIN_BUFFER;
import static org.jamwire.options.LinkDefaults.DEFAULT_CHANNELS;
import static org.jamwire.options.LinkDefaults.DEFAULT_QUEUE;
import static org.jamwire.options.LinkDefaults.DEFAULT_RATE;
import static org.jamwire.options.LinkDefaults.DEFAULT_REDUNDANCY;
import static org.jamwire.options.LinkDefaults.DEFAULT_SIGNAL;
import static org.jamwire.options.LinkDefaults.MAX_CHANNELS;
import static org.jamwire.options.LinkDefaults.TIMEOUT_SECONDS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.hub.HubAuthFiles;
import org.jamwire.hub.HubConfig;
import org.jamwire.hub.PatchMode;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkConfig.BackendKind;
import org.jamwire.link.LinkConfig.BuiltinSettings;
import org.jamwire.link.Role;
import org.jamwire.options.OptionValues.Mode;

/**
 * Turns what a link's options were given into a {@link Command.Run}: fills in defaults, checks the
 * settings against each other, and collects warnings. Called on the control thread.
 */
final class LinkCommand {

    private LinkCommand() {
    }

    /**
     * The P2P link the values describe, with defaults filled in, or an error naming the option; a
     * hub mode is refused, for front doors that run P2P links only.
     */
    static Command.Run toRun(OptionValues v) throws UsageException {
        final Command c = toCommand(v);
        if (c instanceof Command.Run run) {
            return run;
        }
        throw new UsageException(v.mode.givenBy().label() + ": a hub cannot be used here, only a P2P link"
                + " (-s, or -c HOST)");
    }

    /** The P2P link, hub client or hub server the values describe, with defaults filled in. */
    static Command toCommand(OptionValues v) throws UsageException {
        final Mode mode = v.mode.orElse(null);
        if (mode == null) {
            throw new UsageException("say which end this is: -s/--server (-r in the old manual)"
                    + " waits for a client, -c/--client HOST (-t HOST in the old manual)"
                    + " connects to one, -S runs a hub server, -C HOST connects to a hub");
        }
        if (!mode.hub() || mode.role() == Role.SERVER) {
            onlyWith(v.remoteName, "-C/--pingtoserver (a hub client)");
        }
        if (!mode.hub() || mode.role() == Role.CLIENT) {
            final String hubServer = "-S/--jacktripserver (a hub server)";
            onlyWith(v.udpBasePort, hubServer);
            onlyWith(v.hubPatch, hubServer);
            onlyWith(v.includeServer, hubServer);
            onlyWith(v.upmix, hubServer);
        }
        if (mode.hub() || mode.role() != Role.SERVER) {
            onlyWith(v.peer, "-s/--server (a P2P server; a client talks to its HOST alone, and a hub's"
                    + " clients are known by their handshake)");
        }
        authOptions(v, mode);
        final int channels = v.channels.orElse(DEFAULT_CHANNELS);
        final int send = v.sendChannels.orElse(channels);
        final int receive = v.receiveChannels.orElse(channels);
        if (send + receive == 0) {
            throw new UsageException("--sendchannels/--receivechannels: both are 0: at least one"
                    + " direction needs from 1 to " + MAX_CHANNELS + " channels");
        }
        if (v.queue.orElse(DEFAULT_QUEUE) != ReceiveQueue.AUTO) {
            onlyWith(v.maxQueueMillis, "-q auto");
        }
        final int offset = v.portOffset.orElse(0);
        final BackendKind backend = v.backend.orElse(BackendKind.JACK);
        final LinkConfig.Builder b = LinkConfig.builder(mode.role(), mode.host())
                .sendChannels(send)
                .receiveChannels(receive)
                .bitResolution(v.bitResolution.orElse(DEFAULT_BITS))
                .queue(v.queue.orElse(DEFAULT_QUEUE))
                .redundancy(v.redundancy.orElse(DEFAULT_REDUNDANCY))
                .underrunPolicy(v.underrun.orElse(UnderrunPolicy.PREDICT))
                .followDrift(!v.noDriftCorrection.orElse(false))
                .maxQueueMillis(v.maxQueueMillis.orElse(0))
                .bindPort(portWithOffset(v.bindPort, v.portOffset, offset, "bind"))
                .peerPort(portWithOffset(v.peerPort, v.portOffset, offset, "peer"))
                .clientName(v.clientName.orElse(null))
                .autoConnect(!v.noAutoConnect.orElse(false))
                .ioStatSeconds(v.ioStatSeconds.orElse(0))
                .peerTimeoutSeconds(v.timeout.orElse(false) ? TIMEOUT_SECONDS : 0)
                .expectedBufferSize(v.bufferSize.orElse(0))
                .pin(v.peer.orElse(null))
                .backend(backend);
        if (backend == BackendKind.BUILTIN) {
            onlyWith(v.jackServer, "--backend jack");
            final int rate = v.sampleRate.orElse(DEFAULT_RATE);
            b.builtin(new BuiltinSettings(rate, v.bufferSize.orElse(DEFAULT_BUILTIN_BUFFER), rate,
                    v.signal.orElse(DEFAULT_SIGNAL)));
        } else {
            onlyWith(v.sampleRate, "--backend builtin (JACK runs at its server's rate)");
            onlyWith(v.signal, "--backend builtin");
            b.jackServerName(v.jackServer.orElse(null));
        }
        final LinkConfig config = b.build();
        final List<String> warnings = warnings(v, config, mode);
        if (!mode.hub()) {
            return new Command.Run(config, warnings);
        }
        if (mode.role() == Role.CLIENT) {
            final HubLoginOptions login = v.auth.isSet() ? new HubLoginOptions(v.username.orElse(null),
                    v.passwordFile.orElse(null), v.hubCert.orElse(null), v.insecureSkipCertCheck.orElse(false)) : null;
            return new Command.HubClient(config, v.remoteName.orElse(""), login, warnings);
        }
        return hubServer(v, config, warnings);
    }

    private static Command.HubServer hubServer(OptionValues v, LinkConfig config, List<String> warnings)
            throws UsageException {
        if (config.backend() != BackendKind.JACK) {
            throw new UsageException(v.backend.givenBy().label() + ": a hub server runs on JACK, which"
                    + " connects its clients' ports to each other; use --backend jack");
        }
        final int tcp = config.bindPort();
        final int base = v.udpBasePort.orElse(HubConfig.defaultUdpBase(tcp));
        if (base < 1 || base > 65535) {
            throw new UsageException("-B/-o: the TCP port " + tcp + " puts the UDP base port at " + base
                    + ", outside 1 to 65535; give -U/--udpbaseport");
        }
        final int maxClients = Math.min(HubConfig.MAX_CLIENTS, 65535 - base + 1);
        final PatchMode patch = PatchMode.of(v.hubPatch.orElse(0));
        if (v.includeServer.isSet() && patch != PatchMode.CLIENT_FAN_OUT_IN && patch != PatchMode.FULL_MIX) {
            warnings.add("-i/--includeserver only has an effect with -p 2 or -p 4");
        }
        final HubAuthFiles auth = v.auth.isSet() ? new HubAuthFiles(Path.of(v.certFile.orElse(null)),
                Path.of(v.keyFile.orElse(null)), Path.of(v.credsFile.orElse(null))) : null;
        return new Command.HubServer(new HubConfig(tcp, base, maxClients, patch, v.includeServer.orElse(false),
                v.upmix.orElse(false), config, auth), warnings);
    }

    /** -A and its options: each with the end of a hub it belongs to, and the server's files all given. */
    private static void authOptions(OptionValues v, Mode mode) throws UsageException {
        if (!mode.hub()) {
            onlyWith(v.auth, "-S or -C HOST (a hub)");
        }
        final String server = "-S -A (a hub server requiring authentication)";
        final String client = "-C HOST -A (a hub client authenticating)";
        if (!mode.hub() || mode.role() == Role.CLIENT || !v.auth.isSet()) {
            onlyWith(v.certFile, server);
            onlyWith(v.keyFile, server);
            onlyWith(v.credsFile, server);
        }
        if (!mode.hub() || mode.role() == Role.SERVER || !v.auth.isSet()) {
            onlyWith(v.username, client);
            onlyWith(v.passwordFile, client);
            onlyWith(v.hubCert, client);
            onlyWith(v.insecureSkipCertCheck, client);
        }
        if (mode.hub() && mode.role() == Role.SERVER && v.auth.isSet()) {
            for (Slot<String> file : List.of(v.certFile, v.keyFile, v.credsFile)) {
                if (!file.isSet()) {
                    throw new UsageException("-A/--auth: a hub server that requires authentication needs"
                            + " --certfile, --keyfile and --credsfile");
                }
            }
        }
        if (v.hubCert.isSet() && v.insecureSkipCertCheck.isSet()) {
            throw new UsageException("--hub-cert and --insecure-skip-cert-check: give one; --hub-cert checks the"
                    + " hub's certificate, the other does not");
        }
    }

    /** What the user should hear about before a link that is valid but may not do what was meant. */
    private static List<String> warnings(OptionValues v, LinkConfig config, Mode mode) {
        final List<String> warnings = new ArrayList<>();
        if (config.role() == Role.SERVER && mode.hub() && v.peerPort.isSet()) {
            warnings.add(v.peerPort.givenBy().label() + " has no effect on a hub server: it listens"
                    + " on -B and answers the ports its clients send from");
        } else if (config.role() == Role.SERVER && v.peerPort.isSet()) {
            warnings.add(v.peerPort.givenBy().label() + " has no effect on a server: it answers"
                    + " the port the client sends from");
        }
        if (config.bitResolution() == 32) {
            warnings.add("--bitres 32: jacktrip (1.7.0 up to at least 2.7.2) encodes 32-bit"
                    + " samples wrongly, so audio from a jacktrip peer will be noise; use"
                    + " --bitres 16 or 24 when the peer is jacktrip");
        }
        final int r = config.redundancy();
        if ((r == 8 || r == 16) && "-b".equals(v.redundancy.givenBy().typed())) {
            warnings.add("-b " + r + " sends every packet " + r + " times (redundancy, as in the"
                    + " old manual); for jacktrip's -b (bit resolution) use --bitres " + r);
        }
        return warnings;
    }

    private static int portWithOffset(Slot<Integer> port, Slot<Integer> offsetSlot, int offset,
            String which) throws UsageException {
        final int base = port.orElse(LinkConfig.DEFAULT_PORT);
        final int sum = base + offset;
        if (sum > 65535) {
            final Given given = offsetSlot.givenBy();
            throw given.notAllowed("it makes the " + which + " port " + base + " + " + offset
                    + " = " + sum + ", and ports go from 1 to 65535");
        }
        return sum;
    }

    private static void onlyWith(Slot<?> slot, String needed) throws UsageException {
        if (slot.isSet()) {
            final Given given = slot.givenBy();
            throw new UsageException(given.label() + (given.raw() == null ? "" : ": '" + Given.shown(given.raw()) + "'")
                    + " only applies with " + needed);
        }
    }
}
