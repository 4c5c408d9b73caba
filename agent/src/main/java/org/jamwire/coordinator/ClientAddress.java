package org.jamwire.coordinator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a pair's server will see its client's datagrams come from, so that the server can be told
 * to take its peer from there alone ({@code --peer}). For a client on this machine: the address our
 * ssh connection to the server comes from, which the server's sshd reports. For a client on another
 * peer: the source address that peer's kernel picks to reach the server. Every reply is checked to
 * be an address literal before it is used. Control thread.
 */
final class ClientAddress {

    private static final Pattern LITERAL = Pattern.compile(PeerPrograms.IP_LITERAL);
    private static final Pattern ROUTE_SOURCE = Pattern.compile("\\ssrc\\s(\\S{1,39})(\\s|$)");

    private ClientAddress() {
    }

    /**
     * The client's address as the server sees it, or null with the reason added to {@code why}.
     *
     * @param server the ssh session to the server's peer
     * @param client the ssh session to the client's peer, or null when the client runs here
     * @param serverHost the server's host as the client is given it
     */
    static String find(SshSession server, SshSession client, String serverHost, List<String> why) {
        try {
            if (client == null) {
                final SshSession.Result r = server.run(RemoteCommand.of(PeerPrograms.SSH_CONNECTION, "SSH_CONNECTION"));
                final String[] fields = r.stdout().strip().split("\\s+");
                if (r.exitStatus() != 0 || fields.length != 4) {
                    why.add("the server's sshd did not report this machine's address (SSH_CONNECTION)");
                    return null;
                }
                return literal(fields[0], "SSH_CONNECTION", why);
            }
            final String target;
            try {
                target = InetAddress.getByName(serverHost).getHostAddress();
            } catch (UnknownHostException e) {
                why.add("'" + serverHost + "' does not resolve here");
                return null;
            }
            final SshSession.Result r = client.run(RemoteCommand.of(PeerPrograms.ROUTE_GET, "-o", "route", "get",
                    target));
            final Matcher m = ROUTE_SOURCE.matcher(r.stdout());
            if (r.exitStatus() != 0 || !m.find()) {
                why.add("the client's peer has no route to " + target + " (ip route get)");
                return null;
            }
            return literal(m.group(1), "ip route get", why);
        } catch (SshException e) {
            why.add(e.getMessage());
            return null;
        }
    }

    private static String literal(String text, String source, List<String> why) {
        if (!LITERAL.matcher(text).matches() || !(text.indexOf('.') > 0 || text.indexOf(':') >= 0)) {
            why.add(source + " gave '" + PeerProbe.printable(text, 60) + "', not an IP address");
            return null;
        }
        return text;
    }
}
