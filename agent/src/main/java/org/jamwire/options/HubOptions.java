package org.jamwire.options;

import static org.jamwire.options.HubLoginOptions.PASSWORD_VARIABLE;
import static org.jamwire.options.OptionTable.flag;
import static org.jamwire.options.OptionTable.valued;

import java.nio.charset.StandardCharsets;
import org.jamwire.options.OptionSpec.Section;

/**
 * The hub options of a link's command line: the name a hub client goes by, how a hub server patches
 * its clients, and hub authentication ({@code -A}) on either end. {@link LinkOptions#TABLE} lists
 * them; {@link LinkCommand} checks them against the mode. Used on the control thread.
 */
final class HubOptions {

    static final OptionSpec REMOTE_NAME = valued(Section.HUB, "-K --remotename", "NAME",
            "none: the hub names the client by its IP address", "1 to 63 bytes of UTF-8",
            "Hub client: the name the hub gives this client's JACK client there. Only with -C.",
            (v, g) -> {
                final int bytes = g.raw().getBytes(StandardCharsets.UTF_8).length;
                if (bytes == 0 || bytes > 63 || g.raw().indexOf(':') >= 0 || g.raw().indexOf('\0') >= 0) {
                    throw g.notAllowed("use 1 to 63 bytes of UTF-8 without ':' (it becomes a JACK client name)");
                }
                v.remoteName.set(g, g.printable());
            });

    static final OptionSpec UDP_BASE_PORT = valued(Section.HUB, "-U --udpbaseport", "PORT",
            "61002 plus the TCP port's distance from 4464", "1 to 65535",
            "Hub server: the first client's UDP port; client N (from 0, the lowest free number) gets"
                    + " PORT + N. Only with -S.",
            (v, g) -> v.udpBasePort.set(g, g.whole(1, 65535)));

    static final OptionSpec HUB_PATCH = valued(Section.HUB, "-p --hubpatch", "MODE", "0", "0 to 5",
            "Hub server: how clients' ports are connected. 0: each client to and from the hub's system"
                    + " ports. 1: each client hears itself. 2: each client hears every other client,"
                    + " not itself. 3: reserved (jacktrip's TU Berlin matrix); nothing is connected."
                    + " 4: each client hears every client, itself included. 5: nothing is connected."
                    + " Only with -S.",
            (v, g) -> v.hubPatch.set(g, g.whole(0, 5)));

    static final OptionSpec INCLUDE_SERVER = flag(Section.HUB, "-i --includeserver", "off",
            "Hub server, with -p 2 or 4: the hub's system capture ports go to every client too, and"
                    + " every client to its system playback ports.",
            (v, g) -> v.includeServer.set(g, true));

    static final OptionSpec UPMIX = flag(Section.HUB, "-u --upmix", "off",
            "Hub server, with -p 1, 2 or 4: a client that sends one channel is heard on the second"
                    + " channel of those who hear it as well as on their first.",
            (v, g) -> v.upmix.set(g, true));

    static final OptionSpec AUTH = flag(Section.HUB, "-A --auth", "off",
            "Hub authentication, as jacktrip's -A. Hub server: require it, with --certfile, --keyfile and"
                    + " --credsfile. Hub client: log in with --username and a password, which is never an"
                    + " option: it is read from --password-file, else from the environment variable "
                    + PASSWORD_VARIABLE + ", else from the terminal (or one line of standard input); an"
                    + " agent's hub client reads it from the file its config names as hubPasswordFile. The"
                    + " hub's certificate is checked against Java's trust store unless --hub-cert pins it.",
            (v, g) -> v.auth.set(g, true));

    static final OptionSpec CERT_FILE = valued(Section.HUB, "--certfile", "FILE", "none", "a PEM file",
            "Hub server with -A: its TLS certificate (e.g. made by openssl req -x509 -newkey rsa:2048"
                    + " -nodes); the hub prints its SHA-256 fingerprint for clients to pin.",
            (v, g) -> v.certFile.set(g, g.nonBlank()));

    static final OptionSpec KEY_FILE = valued(Section.HUB, "--keyfile", "FILE", "none",
            "an unencrypted PEM key, RSA or EC",
            "Hub server with -A: the private key of --certfile.",
            (v, g) -> v.keyFile.set(g, g.nonBlank()));

    static final OptionSpec CREDS_FILE = valued(Section.HUB, "--credsfile", "FILE", "none",
            "lines of user:$6$salt$hash:times",
            "Hub server with -A: its users, in jacktrip's format: a SHA-512 crypt hash (openssl passwd -6)"
                    + " and when each may connect: * always, empty never, or days with times of the"
                    + " hub's local day, e.g. Mo*,Tu0900-1700. Read again when it changes; a line that"
                    + " is not right is an error naming it.",
            (v, g) -> v.credsFile.set(g, g.nonBlank()));

    static final OptionSpec USERNAME = valued(Section.HUB, "--username", "NAME",
            "asked for on the terminal (or read from standard input)", "1 to 1024 bytes of UTF-8",
            "Hub client with -A: the user name.",
            (v, g) -> {
                final int bytes = g.raw().getBytes(StandardCharsets.UTF_8).length;
                if (bytes == 0 || bytes > 1024 || g.raw().indexOf('\0') >= 0) {
                    throw g.notAllowed("use 1 to 1024 bytes of UTF-8");
                }
                v.username.set(g, g.raw());
            });

    static final OptionSpec PASSWORD_FILE = valued(Section.HUB, "--password-file", "FILE",
            "none: " + PASSWORD_VARIABLE + ", else the terminal", "a file only its owner can read",
            "Hub client with -A: read the password from the first line of FILE, which must not be"
                    + " readable or writable by group or others (chmod 600).",
            (v, g) -> v.passwordFile.set(g, g.nonBlank()));

    static final OptionSpec HUB_CERT = valued(Section.HUB, "--hub-cert", "PEM|SHA256", "none: Java's trust store",
            "a PEM file, or 64 hex digits (colons and a sha256: prefix allowed)",
            "Hub client with -A: trust only this certificate (jacktrip hubs use self-signed ones): the"
                    + " hub's certificate file, or its SHA-256 fingerprint as the hub prints it.",
            (v, g) -> v.hubCert.set(g, g.nonBlank()));

    static final OptionSpec INSECURE_SKIP_CERT_CHECK = flag(Section.HUB, "--insecure-skip-cert-check", "off",
            "Hub client with -A: do not check the hub's certificate at all, as jacktrip's client does;"
                    + " whoever can intercept the connection can then pose as the hub and read the"
                    + " password. Prints a warning.",
            (v, g) -> v.insecureSkipCertCheck.set(g, true));

    private HubOptions() {
    }
}
