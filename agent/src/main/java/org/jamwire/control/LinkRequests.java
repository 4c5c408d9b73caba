package org.jamwire.control;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jamwire.hub.HubConfig;
import org.jamwire.link.LinkConfig;
import org.jamwire.options.Command;
import org.jamwire.options.HubLoginOptions;
import org.jamwire.options.LinkArguments;
import org.jamwire.options.UsageException;

/** Checks link requests for an agent whose JACK links must use its one JACK server. HTTP threads. */
final class LinkRequests {

    private LinkRequests() {
    }

    static LinkRequest check(String mode, String host, Map<String, Object> options, String jackServer,
            Path hubPasswordFile) throws LinkArguments.InvalidLink {
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
                checkLogin(hub.login(), hubPasswordFile);
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

    /**
     * A hub client's login from a request: the user name in the request, the password only from the
     * file the agent's config names, never from the request.
     */
    private static void checkLogin(HubLoginOptions login, Path hubPasswordFile) throws LinkArguments.InvalidLink {
        if (login.passwordFile() != null) {
            throw invalid("options.password-file", "leave it out", "options.password-file: the agent reads a hub's"
                    + " password only from the file its config names as hubPasswordFile, never from a request");
        }
        if (hubPasswordFile == null) {
            throw invalid("options.auth", "name a hubPasswordFile in the agent's config, or leave it out",
                    "options.auth: this agent has no hub password: write it on the first line of an owner-only file"
                            + " (chmod 600) and name that file as hubPasswordFile in the agent's config file");
        }
        if (login.username() == null || login.username().isEmpty()) {
            throw invalid("options.username", "give the user name the hub knows", "options.username: a hub client"
                    + " that logs in (auth) needs the user name");
        }
        try {
            HubLogins.checkTrust(login);
            Arrays.fill(HubLogins.readPasswordFile(hubPasswordFile, "hubPasswordFile"), '\0');
        } catch (UsageException e) {
            throw invalid("options.auth", "fix the agent's hub login", "options.auth: " + e.getMessage());
        }
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
