package org.jamwire.options;

import java.util.List;
import java.util.stream.Collectors;
import org.jamwire.options.OptionSpec.Section;

/**
 * Builds the {@code --help} text and the README's option tables from the option tables, so that
 * what they say is what the parser does. Called on the control thread.
 */
final class HelpText {

    private static final int WIDTH = 96;
    private static final String INDENT = "      ";

    private HelpText() {
    }

    /** The whole help, ending with a newline. */
    static String render() {
        final StringBuilder out = new StringBuilder();
        out.append("JamWire ").append(BuildInfo.version()).append(": uncompressed network audio")
                .append(" between JACK servers,\ncompatible with jacktrip's P2P and hub modes.\n\n");
        out.append("""
                Usage:
                  jamwire -s [OPTIONS]          wait for a client (P2P server)
                  jamwire -c HOST [OPTIONS]     connect to HOST (P2P client)
                  jamwire -S [OPTIONS]          run a hub that many clients connect to (hub server)
                  jamwire -C HOST [OPTIONS]     connect to the hub on HOST (hub client)
                  jamwire demo [DEMO OPTIONS]   two ends on this machine streaming over loopback,
                                                on the built-in backend (no JACK needed)
                  jamwire netsim --to HOST:PORT [NETSIM OPTIONS]
                                                a relay between a client and the server HOST:PORT
                                                that loses, duplicates, reorders, delays and
                                                rate-limits datagrams, to try a bad network
                  jamwire linktest --echo       echo a link test's datagrams (on the far machine)
                  jamwire linktest --to HOST:PORT [OPTIONS]
                                                measure loss, round trip and jitter of datagrams of a
                                                link's size at its rate, and recommend -q and -b
                  jamwire agent [AGENT OPTIONS] the service with the HTTP API, live feed and web UI
                                                that starts and watches links from a browser
                  jamwire lab trust INVENTORY [LAB OPTIONS]
                                                record the host keys of an Ansible inventory's lab
                                                group for ssh and for the agent, each once you
                                                accept its fingerprint
                  jamwire -h | --help           this help
                  jamwire -v | --version        the version

                A value follows its option (--queue 4) or joins a long option with '=' (--queue=4).
                Giving an option twice with different values is an error.
                """);
        for (Section section : Section.values()) {
            final List<OptionSpec> options = LinkOptions.TABLE.options().stream()
                    .filter(o -> o.section() == section).collect(Collectors.toList());
            if (!options.isEmpty()) {
                appendSection(out, section.title, options);
            }
        }
        appendCommand(out, "Demo options (jamwire demo)", DemoOptions.TABLE);
        appendCommand(out, "Network simulation options (jamwire netsim --to HOST:PORT)",
                NetsimOptions.TABLE);
        appendCommand(out, "Link test options (jamwire linktest --echo | --to HOST:PORT)", LinkTestOptions.TABLE);
        appendCommand(out, "Agent options (jamwire agent)", AgentOptions.TABLE);
        appendCommand(out, "Lab options (jamwire lab trust INVENTORY)", LabOptions.TABLE);
        appendSeed(out);
        appendJacktripOnly(out);
        out.append(EXAMPLES_AND_PORTS);
        out.append("\nExit codes:\n");
        for (ExitCode.Entry e : ExitCode.ALL) {
            out.append(wrap(String.format("  %-4d", e.code()), e.meaning(), "      "));
        }
        return out.toString();
    }

    /** The help of {@code jamwire agent}, ending with a newline. */
    static String renderAgent() {
        final StringBuilder out = new StringBuilder();
        out.append("JamWire ").append(BuildInfo.version()).append(": the agent\n\n");
        out.append("""
                Usage:
                  jamwire agent [AGENT OPTIONS]

                Runs until Ctrl-C or SIGTERM, which stop its links cleanly (each sends its stop
                packet). It serves the web UI, a JSON API under /api (described at
                /api/openapi.json) and a live WebSocket feed at /api/live, and watches one JACK
                server, on which its JACK links run. At start it prints its config file, its token
                file, the JACK server's state and the URL to open, which carries the token.

                Security: it listens on 127.0.0.1 unless told otherwise; every API call and the
                feed need the token; requests naming another Host, and pages from another Origin,
                are refused.
                """);
        appendCommand(out, "Agent options", AgentOptions.TABLE);
        out.append("""

                Examples:
                  For this machine's browser:
                    jamwire agent
                  On a lab network, reachable as studio-a.local, with a fixed token file:
                    jamwire agent --listen 192.0.2.10 --allow-host studio-a.local --token-file /etc/jamwire/token
                  With a config file (JSON with the keys listen, port, allowHosts, tokenFile,
                  jackServer, feedRateHz):
                    jamwire agent --config /etc/jamwire/agent.json

                Exit codes: 0 when stopped by Ctrl-C or SIGTERM, 1 when it cannot start (the port is
                taken, the token file cannot be read or written), 2 for a wrong option or config file.
                """);
        return out.toString();
    }

    /** The help of {@code jamwire lab}, ending with a newline. */
    static String renderLab() {
        final StringBuilder out = new StringBuilder();
        out.append("JamWire ").append(BuildInfo.version()).append(": the lab's host keys\n\n");
        out.append("""
                Usage:
                  jamwire lab trust INVENTORY [LAB OPTIONS]

                For every host of the inventory's group 'lab' (as ansible-inventory -i INVENTORY
                --list gives it: ansible_host, else the name, and ansible_port, else 22), connects,
                takes the host key that ssh would meet there (ed25519 first for a host it does not
                know, else the type already recorded), and prints it as ssh-keygen -lf does:
                  256 SHA256:... 192.0.2.10 (ED25519)
                Compare that with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host. On
                yes, the key is recorded both for ssh (so ansible-playbook finds it) and in the
                agent's known_hosts (so the agent's coordinator shows the same fingerprint). Files and
                directories it makes are readable by their owner only. A key already recorded is not
                added again; a key that differs from the one recorded is refused, never replaced.
                Without a terminal (stdin not one), only keys whose fingerprint --yes-if-fingerprint
                names are recorded.
                """);
        appendCommand(out, "Lab options", LabOptions.TABLE);
        out.append("""

                Examples:
                  Before the first ansible-playbook run, answering y or n for each host:
                    jamwire lab trust ~/jamwire-lab/inventory.yml
                  From a script, with each host's fingerprint read on that host beforehand:
                    jamwire lab trust ~/jamwire-lab/inventory.yml --yes-if-fingerprint SHA256:...,SHA256:...

                Exit codes: 0 when every host's key is recorded for both (now or before), 1 when a
                host was not reached, its key was declined, not confirmed, changed or revoked, 2 for
                a wrong option.
                """);
        return out.toString();
    }

    private static final String EXAMPLES_AND_PORTS = """

            Examples:
              The old manual's pair, on two machines (the server first):
                jamwire -j -z 64 -b 2 -q 2 -a 8 -r
                jamwire -j -z 64 -b 2 -q 2 -a 8 -t 192.0.2.10
              With jacktrip 1.7 at the other end: 2 channels, 16 bits, queue 4:
                jacktrip -s -n 2 --bitres 16 -q 4
                jamwire -c 192.0.2.10 -n 2 --bitres 16 -q 4
              The same the other way round:
                jamwire -s -n 2 --bitres 16 -q 4
                jacktrip -c 192.0.2.20 -n 2 --bitres 16 -q 4
              A second link on the same machines, next to the first:
                jamwire -s -o 10
                jamwire -c 192.0.2.10 -o 10
              A test tone to a server, without JACK:
                jamwire -c 192.0.2.10 --backend builtin --signal sine
              Both ends on this machine until Ctrl-C:
                jamwire demo --seconds 0
              A server, a relay that loses 2% each way and delays by 10 +/- 5 ms, and a client:
                jamwire -s
                jamwire netsim --to 127.0.0.1:4464 --loss 2 --delay 10 --jitter 5
                jamwire -c 127.0.0.1 -B 4466 -P 4465
              Losses in bursts of 4 datagrams on average, towards the server only:
                jamwire netsim --to 192.0.2.10:4464 --burst 0.5 --burst-length 4 --direction to-server
              A hub where every client hears every other one, and two of its clients:
                jamwire -S -p 2
                jacktrip -C 192.0.2.10 -K alice
                jamwire -C 192.0.2.10 -K bob
              A hub that requires a login, and a client pinning its self-signed certificate:
                jamwire -S -A --certfile cert.pem --keyfile key.pem --credsfile users
                jamwire -C 192.0.2.10 -A --username alice --hub-cert sha256:FINGERPRINT
              A hub client on the hub's own machine (the hub's UDP ports start at 61002):
                jamwire -C 127.0.0.1 -K local -B 4470
              The agent, for this machine's browser (it prints the URL to open, with the token):
                jamwire agent

            Ports:
              A link sends and receives on one UDP port: 4464, or -B PORT. A client sends to the
              peer's port 4464, or -P PORT; a server answers the address and port the client's
              datagrams come from. -o N adds N to both ports, so links side by side on one
              machine use -o 0, 10, 20 and 30, that is UDP ports 4464, 4474, 4484 and 4494;
              the firewall must let them through.
              A hub listens for clients on TCP port 4464 (-B, -o) and gives each client a UDP port
              of its own from 61002 up (-U; -o moves it too); a hub client asks on TCP port 4464
              (-P, -o) and streams from UDP port 4464 (-B, -o). Two hub clients on one machine need
              different -B.
              With -A the handshake runs in TLS and clients log in (jacktrip's -A): the hub needs
              --certfile, --keyfile and --credsfile; a client needs --username and a password from
              --password-file, JAMWIRE_HUB_PASSWORD or the terminal (never an option), and checks
              the hub's certificate unless told otherwise (--hub-cert, --insecure-skip-cert-check).
            """;

    private static void appendSection(StringBuilder out, String title, List<OptionSpec> options) {
        out.append('\n').append(title).append(":\n");
        for (OptionSpec o : options) {
            appendOption(out, o);
        }
    }

    private static void appendOption(StringBuilder out, OptionSpec o) {
        out.append("  ").append(o.synopsis()).append('\n');
        out.append(wrap(INDENT, o.description(), INDENT));
        final String limits = "Default: " + o.defaultText() + "."
                + (o.takesValue() ? " Allowed: " + o.rangeText() + "." : "");
        out.append(wrap(INDENT, limits, INDENT));
    }

    /** A command's own options in full, and those it shares with a link by name only. */
    private static void appendCommand(StringBuilder out, String title, OptionTable table) {
        out.append('\n').append(title).append(":\n");
        final StringBuilder shared = new StringBuilder();
        for (OptionSpec o : table.options()) {
            if (o == LinkOptions.HELP || o == LinkOptions.VERSION) {
                continue;
            }
            if (LinkOptions.TABLE.options().contains(o)) {
                shared.append(shared.length() == 0 ? "" : "; ").append(o.synopsis());
            } else {
                appendOption(out, o);
            }
        }
        if (shared.length() > 0) {
            out.append(wrap("  ", "Also, with the same meaning, default and range as for a link: "
                    + shared + ".", "  "));
        }
    }

    private static void appendSeed(StringBuilder out) {
        out.append("""

                The old JackTrip manual's command lines work as printed there:
                  jamwire -j -z 64 -b 2 -q 2 -a 8 -r        wait for a client: JACK, 64-frame periods,
                                                            redundancy 2, queue 2, 8 channels
                  jamwire -j -z 64 -b 2 -q 2 -a 8 -t HOST   the same, connecting to HOST

                These flags mean something else in jacktrip 1.7; the old manual's meaning wins:
                """);
        for (SeedFlag f : SeedFlag.ALL) {
            out.append(String.format("  %-9s here: %s%n", f.flag(), f.here()));
            out.append(String.format("  %-9s jacktrip 1.7: %s; %s%n", "", f.jacktrip(),
                    f.jacktripHere() == null ? "not supported here"
                            : "here use " + f.jacktripHere()));
        }
    }

    private static void appendJacktripOnly(StringBuilder out) {
        out.append('\n');
        final String list = UnknownOption.JACKTRIP_ONLY.stream()
                .map(j -> j.label() + " (" + j.what() + ")")
                .collect(Collectors.joining(", "));
        out.append(wrap("", "jacktrip 1.7 options that JamWire does not support: " + list + ".",
                "  "));
        out.append(wrap("", "Use 16 or 24 bits with a jacktrip peer: jacktrip 1.7.0 up to at"
                + " least 2.7.2 encodes 32-bit samples wrongly, so what it sends is noise.", ""));
    }

    /** Words of {@code text} in lines of at most {@link #WIDTH}, the first after {@code first}. */
    static String wrap(String first, String text, String indent) {
        final StringBuilder out = new StringBuilder(first);
        int lineLength = first.length();
        boolean lineEmpty = true;
        for (String word : text.split(" ")) {
            if (!lineEmpty && lineLength + 1 + word.length() > WIDTH) {
                out.append('\n').append(indent);
                lineLength = indent.length();
                lineEmpty = true;
            }
            if (!lineEmpty) {
                out.append(' ');
                lineLength++;
            }
            out.append(word);
            lineLength += word.length();
            lineEmpty = false;
        }
        return out.append('\n').toString();
    }

    /** The README's table of the flags whose meaning differs from jacktrip's, in Markdown. */
    static String markdownSeedFlagTable() {
        final StringBuilder out = new StringBuilder();
        out.append("| Flag | In JamWire (the old manual) | In jacktrip 1.7 | jacktrip's meaning here |\n");
        out.append("|---|---|---|---|\n");
        for (SeedFlag f : SeedFlag.ALL) {
            out.append("| `").append(f.flag()).append("` | ").append(cell(f.here())).append(" | ")
                    .append(cell(f.jacktrip())).append(" | ")
                    .append(f.jacktripHere() == null ? "not supported"
                            : "`" + f.jacktripHere() + "`")
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The README's tables of link, demo and network simulation options, in Markdown. */
    static String markdownOptionTables() {
        return "Link and hub options (`jamwire -s ...`, `jamwire -c HOST ...`, `jamwire -S ...`,"
                + " `jamwire -C HOST ...`):\n\n"
                + markdownTable(LinkOptions.TABLE.options())
                + "\nDemo options (`jamwire demo ...`):\n\n"
                + markdownTable(DemoOptions.TABLE.options())
                + "\nNetwork simulation options (`jamwire netsim --to HOST:PORT ...`):\n\n"
                + markdownTable(NetsimOptions.TABLE.options())
                + "\nLink test options (`jamwire linktest ...`):\n\n"
                + markdownTable(LinkTestOptions.TABLE.options())
                + "\nAgent options (`jamwire agent ...`):\n\n"
                + markdownTable(AgentOptions.TABLE.options())
                + "\nLab options (`jamwire lab trust INVENTORY ...`):\n\n"
                + markdownTable(LabOptions.TABLE.options());
    }

    private static String markdownTable(List<OptionSpec> options) {
        final StringBuilder out = new StringBuilder();
        out.append("| Option | Default | Allowed | What it does |\n");
        out.append("|---|---|---|---|\n");
        for (OptionSpec o : options) {
            out.append("| `").append(o.synopsis()).append("` | ")
                    .append(cell(o.defaultText())).append(" | ")
                    .append(o.takesValue() ? cell(o.rangeText()) : "flag").append(" | ")
                    .append(cell(o.description())).append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
