package org.jamwire.web;

import io.javalin.http.Context;
import org.jamwire.text.Printable;

/**
 * The checks every request passes before a handler runs: the Host and Origin it names, and the
 * token. Jetty's threads.
 */
final class Guards {

    /** Longest Host, Origin or path shown back in a refusal. */
    private static final int SHOWN = 80;

    private final Token token;
    /** The token that reads {@code /metrics} and nothing else, or null. */
    private final Token scrapeToken;
    private volatile HostCheck hosts;

    Guards(Token token, Token scrapeToken) {
        this.token = token;
        this.scrapeToken = scrapeToken;
    }

    /** The names and origins allowed, known once the agent listens. */
    void hosts(HostCheck h) {
        this.hosts = h;
    }

    private HostCheck hosts() {
        final HostCheck h = hosts;
        if (h == null) {
            throw new ApiException(503, "unavailable", null, null, "the agent is still starting");
        }
        return h;
    }

    /** Refuses a Host that is not this agent's and an Origin that is not a page it served. */
    void checkHostAndOrigin(Context ctx) {
        final HostCheck h = hosts();
        if (!h.hostAllowed(ctx.header("Host"))) {
            throw new ApiException(403, "forbidden", "Host", "one of " + String.join(", ", h.hosts()),
                    "Host '" + shown(String.valueOf(ctx.header("Host"))) + "' is not this agent's; reach it as"
                            + " 127.0.0.1 or localhost, or allow the name with --allow-host");
        }
        final String origin = ctx.header("Origin");
        if (origin != null && !h.originAllowed(origin)) {
            throw new ApiException(403, "forbidden", "Origin", "a page served by this agent",
                    "Origin '" + shown(origin) + "' may not use this agent");
        }
    }

    /** Refuses an API request without the token; the feed authenticates in its first message instead. */
    void checkToken(Context ctx) {
        if (ctx.path().equals("/api/live")) {
            return;
        }
        final String auth = ctx.header("Authorization");
        final String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        if (!token.matches(given)) {
            throw new ApiException(401, "unauthorized", "Authorization", "Bearer TOKEN",
                    given == null ? "send the agent's token as 'Authorization: Bearer TOKEN'; its path is printed"
                            + " when the agent starts" : "the token is wrong: use the one in the agent's token file");
        }
    }

    /** Refuses a scrape of {@code /metrics} without the agent's token or its scrape token. */
    void checkScrapeToken(Context ctx) {
        final String auth = ctx.header("Authorization");
        final String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        if (!token.matches(given) && (scrapeToken == null || !scrapeToken.matches(given))) {
            throw new ApiException(401, "unauthorized", "Authorization", "Bearer TOKEN",
                    given == null ? "send the agent's token or its scrape token as 'Authorization: Bearer TOKEN'"
                            + " (in Prometheus: authorization: credentials_file: FILE)"
                            : "the token is wrong: use the agent's token or the one in its scrapeTokenFile");
        }
    }

    /** A feed upgrade: the Host as above, and an Origin that a browser always sends, from this agent's page. */
    void checkUpgrade(Context ctx) {
        final HostCheck h = hosts();
        if (!h.hostAllowed(ctx.header("Host"))) {
            throw new ApiException(403, "forbidden", "Host", "this agent's host", "Host is not this agent's");
        }
        final String origin = ctx.header("Origin");
        if (origin == null || !h.originAllowed(origin)) {
            throw new ApiException(403, "forbidden", "Origin", "a page served by this agent",
                    "Origin '" + shown(String.valueOf(origin)) + "' may not open the live feed");
        }
    }

    /** Text from a request as a refusal may show it: cut, with control characters escaped. */
    static String shown(String s) {
        return Printable.escape(s.length() > SHOWN ? s.substring(0, SHOWN) + "…" : s);
    }
}
