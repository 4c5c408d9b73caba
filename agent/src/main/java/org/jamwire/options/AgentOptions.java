package org.jamwire.options;

import static org.jamwire.options.OptionTable.valued;

import java.util.Arrays;
import java.util.List;
import org.jamwire.options.OptionSpec.Section;

/**
 * The options of {@code jamwire agent} and how they become a {@link Command.Agent}. Options not
 * given stay null, so that the config file can supply them. Called on the control thread.
 */
final class AgentOptions {

    static final OptionSpec LISTEN = valued(Section.AGENT, "--listen", "ADDRESS", "127.0.0.1",
            "an IP address of this machine",
            "Address the agent listens on. Anything but a loopback address lets other machines reach"
                    + " the agent (still only with the token), and the agent warns about it.",
            (v, g) -> {
                if (!g.raw().matches("[0-9A-Fa-f.:]{2,45}")) {
                    throw g.notAllowed("give an IP address, e.g. 127.0.0.1 or 192.0.2.10");
                }
                v.listenAddress.set(g, g.raw());
            });

    static final OptionSpec PORT = valued(Section.AGENT, "--port", "PORT", "8464", "0 to 65535",
            "TCP port of the API and the web UI; 0 picks a free one.",
            (v, g) -> v.agentPort.set(g, g.whole(0, 65535)));

    static final OptionSpec ALLOW_HOST = valued(Section.AGENT, "--allow-host", "NAMES", "none",
            "host names separated by commas",
            "Further names the agent answers to in the Host header, besides 127.0.0.1, localhost, [::1]"
                    + " and the listen address; requests naming any other host are refused, against DNS"
                    + " rebinding.",
            (v, g) -> {
                final List<String> names = Arrays.asList(g.raw().split(","));
                for (String n : names) {
                    if (!n.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
                        throw g.notAllowed("give host names (letters, digits, '.', '-') separated by commas");
                    }
                }
                v.allowHosts.set(g, List.copyOf(names));
            });

    static final OptionSpec TOKEN_FILE = valued(Section.AGENT, "--token-file", "PATH",
            "~/.config/jamwire/token", "a file path",
            "File holding the token that every API call and the live feed need. Created with a new"
                    + " 256-bit token, readable by its owner only, when missing.",
            (v, g) -> v.tokenFile.set(g, path(g)));

    static final OptionSpec CONFIG = valued(Section.AGENT, "--config", "PATH",
            "~/.config/jamwire/agent.json, if it exists", "a JSON file",
            "Config file with any of the keys listen, port, allowHosts (a list), tokenFile, jackServer,"
                    + " feedRateHz, labInventory, scrapeTokenFile (a token that reads /metrics and nothing"
                    + " else, created when missing) and hubPasswordFile (an owner-only file whose first line is"
                    + " the password its hub clients log in with); options given on the command line win. The"
                    + " agent prints its path when it starts.",
            (v, g) -> v.configFile.set(g, path(g)));

    static final OptionSpec JACK_SERVER = valued(Section.AGENT, "--jack-server", "NAME",
            "JACK's default server", "a server name (as in jackd -n NAME)",
            "JACK server the agent watches and starts its JACK links on.",
            (v, g) -> v.agentJackServer.set(g, g.nonBlank()));

    static final OptionSpec FEED_RATE = valued(Section.AGENT, "--feed-rate", "HZ", "25", "1 to 30",
            "Updates per second the live feed sends by default; a browser may ask for another rate.",
            (v, g) -> v.feedRate.set(g, g.whole(1, 30)));

    static final OptionSpec LAB_INVENTORY = valued(Section.AGENT, "--lab-inventory", "FILE", "none",
            "an Ansible inventory file (YAML or INI)",
            "Adds the hosts of the inventory's lab group as peers when the agent starts, read with"
                    + " ansible-inventory (apt install ansible), and prints what it added, kept (a peer of"
                    + " that name exists) or refused. Confirm each new peer's host key on its first probe.",
            (v, g) -> v.labInventory.set(g, path(g)));

    static final OptionTable TABLE = new OptionTable(List.of(LISTEN, PORT, ALLOW_HOST, TOKEN_FILE, CONFIG,
            JACK_SERVER, FEED_RATE, LAB_INVENTORY, LinkOptions.HELP, LinkOptions.VERSION));

    private AgentOptions() {
    }

    private static String path(Given g) throws UsageException {
        if (g.raw().isBlank() || g.raw().indexOf('\0') >= 0) {
            throw g.notAllowed("give a file path");
        }
        return g.raw();
    }

    /** The agent the values describe; options not given are null. */
    static Command.Agent toAgent(OptionValues v) {
        return new Command.Agent(v.listenAddress.orElse(null), v.agentPort.orElse(null), v.allowHosts.orElse(null),
                v.tokenFile.orElse(null), v.configFile.orElse(null), v.agentJackServer.orElse(null),
                v.feedRate.orElse(null), v.labInventory.orElse(null));
    }
}
