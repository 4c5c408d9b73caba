package org.jamwire.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Host and Origin allow-lists. A browser page from another site can make requests to the agent
 * through DNS rebinding, but its Host header then carries that site's name; and a page elsewhere
 * that opens a WebSocket sends its own Origin. Called on HTTP threads; immutable.
 */
final class HostCheck {

    private final Set<String> hosts = new LinkedHashSet<>();
    private final int port;

    HostCheck(String listenAddress, List<String> extraHosts, int port) {
        hosts.add("127.0.0.1");
        hosts.add("localhost");
        hosts.add("[::1]");
        hosts.add(bracketed(listenAddress).toLowerCase(Locale.ROOT));
        for (String h : extraHosts) {
            hosts.add(bracketed(h).toLowerCase(Locale.ROOT));
        }
        this.port = port;
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The names accepted, for messages. */
    Set<String> hosts() {
        return hosts;
    }

    /** Whether a Host header names this agent: an allowed name, with this agent's port or none. */
    boolean hostAllowed(String header) {
        if (header == null || header.isEmpty() || header.length() > 300) {
            return false;
        }
        final String h = header.toLowerCase(Locale.ROOT);
        final int colon = h.lastIndexOf(':');
        final boolean hasPort = colon > h.lastIndexOf(']');
        final String name = hasPort ? h.substring(0, colon) : h;
        if (hasPort && !h.substring(colon + 1).equals(String.valueOf(port))) {
            return false;
        }
        return hosts.contains(name);
    }

    /** Whether an Origin header is a page of this agent's own: http://ALLOWED-HOST:PORT. */
    boolean originAllowed(String origin) {
        if (origin == null || !origin.startsWith("http://")) {
            return false;
        }
        final String rest = origin.substring("http://".length());
        return rest.contains(":") && !rest.endsWith("]") && hostAllowed(rest);
    }
}
