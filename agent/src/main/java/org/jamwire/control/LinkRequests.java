package org.jamwire.control;

import java.util.List;
import java.util.Map;
import org.jamwire.hub.HubConfig;
import org.jamwire.link.LinkConfig;
import org.jamwire.options.Command;
import org.jamwire.options.LinkArguments;

/** Checks link requests for an agent whose JACK links must use its one JACK server. HTTP threads. */
final class LinkRequests {

    private LinkRequests() {
    }

    static LinkRequest check(String mode, String host, Map<String, Object> options, String jackServer)
            throws LinkArguments.InvalidLink {
        final List<String> args = LinkArguments.arguments(mode, host, options);
        final Command command = LinkArguments.parseAny(args);
        final String line = LinkArguments.commandLine(args);
        if (command instanceof Command.HubServer hub) {
            final LinkConfig worker = onServer(hub.config().worker(), jackServer);
            final HubConfig c = hub.config();
            return new LinkRequest(mode, host, options, line, hub.warnings(), LinkRequest.Shape.of(worker),
                    new Command.HubServer(new HubConfig(c.tcpPort(), c.udpBasePort(), c.maxClients(), c.patch(),
                            c.includeServer(), c.upmix(), worker, c.auth()), hub.warnings()));
        }
        if (command instanceof Command.HubClient hub) {
            if (hub.login() != null) {
                throw invalid("options.auth", "leave it out", "options.auth: the agent does not log in to an"
                        + " authenticating hub yet (it would need the password); run jamwire -C HOST -A from a"
                        + " terminal, which asks for it");
            }
            final LinkConfig config = onServer(hub.config(), jackServer);
            return new LinkRequest(mode, host, options, line, hub.warnings(), LinkRequest.Shape.of(config),
                    new Command.HubClient(config, hub.remoteName(), hub.login(), hub.warnings()));
        }
        final Command.Run run = (Command.Run) command;
        final LinkConfig config = onServer(run.config(), jackServer);
        return new LinkRequest(mode, host, options, line, run.warnings(), LinkRequest.Shape.of(config),
                new Command.Run(config, run.warnings()));
    }

    /** The config on the agent's JACK server, which is the only one it can use; a link on another is refused. */
    private static LinkConfig onServer(LinkConfig config, String server) throws LinkArguments.InvalidLink {
        if (config.backend() != LinkConfig.BackendKind.JACK) {
            return config;
        }
        if (config.jackServerName() != null && !config.jackServerName().equals(server)) {
            throw invalid("options.jack-server", "use '" + server + "' or leave it out",
                    "options.jack-server: this agent uses the JACK server '" + server + "', and one"
                            + " process can only talk to one JACK server; run another agent for server '"
                            + config.jackServerName() + "'");
        }
        return config.toBuilder().jackServerName(server).build();
    }

    private static LinkArguments.InvalidLink invalid(String field, String rule, String message) {
        return new LinkArguments.InvalidLink(new LinkArguments.Problem(field, rule, message));
    }
}
