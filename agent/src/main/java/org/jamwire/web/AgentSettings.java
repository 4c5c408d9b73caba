package org.jamwire.web;

import java.nio.file.Path;
import java.util.List;

/**
 * How an agent runs: where it listens, who may reach it, where its token is, and its limits. Built
 * by {@code jamwire agent} from the command line and the config file; immutable.
 *
 * @param listenAddress the address to bind, 127.0.0.1 unless the user chose another
 * @param port the TCP port, 0 for any free one
 * @param allowedHosts host names accepted in the Host header besides the loopback names and the
 *     listen address
 * @param tokenFile where the token is kept (created with owner-only permissions when missing)
 * @param jackServer the JACK server to watch and put JACK links on, or null for JACK's default
 * @param feedRateHz the live feed's default rate, 1 to 30
 * @param maxBodyBytes the largest request body accepted
 * @param maxFrameBytes the largest WebSocket text frame accepted
 * @param authTimeoutMillis how long a WebSocket may stay open without authenticating
 * @param scrapeTokenFile where a token is kept that reads {@code /metrics} and nothing else (created
 *     with owner-only permissions when missing), or null for none: then only the agent's token reads it
 * @param hubPasswordFile the owner-only file whose first line is the password the agent's hub clients
 *     log in with ({@code auth}), or null: they log in to no hub
 */
public record AgentSettings(String listenAddress, int port, List<String> allowedHosts, Path tokenFile,
        String jackServer, int feedRateHz, int maxBodyBytes, int maxFrameBytes, long authTimeoutMillis,
        Path scrapeTokenFile, Path hubPasswordFile) {

    /** The default TCP port of the agent. */
    public static final int DEFAULT_PORT = 8464;
    /** The default feed rate, in updates per second. */
    public static final int DEFAULT_FEED_HZ = 25;
    /** The largest request body, 64 KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The largest WebSocket text frame, 8 KiB. */
    public static final int MAX_FRAME_BYTES = 8 * 1024;
    /** How long a WebSocket may wait before authenticating. */
    public static final long AUTH_TIMEOUT_MILLIS = 5000;

    /** Copies the host list. */
    public AgentSettings {
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Settings with the defaults for everything but the port, the token file and the JACK server. */
    public static AgentSettings defaults(int port, Path tokenFile, String jackServer) {
        return new AgentSettings("127.0.0.1", port, List.of(), tokenFile, jackServer, DEFAULT_FEED_HZ,
                MAX_BODY_BYTES, MAX_FRAME_BYTES, AUTH_TIMEOUT_MILLIS, null, null);
    }

    /** The same settings with another authentication timeout. */
    public AgentSettings withAuthTimeout(long millis) {
        return new AgentSettings(listenAddress, port, allowedHosts, tokenFile, jackServer, feedRateHz, maxBodyBytes,
                maxFrameBytes, millis, scrapeTokenFile, hubPasswordFile);
    }

    /** The same settings with a scrape token kept in {@code file}. */
    public AgentSettings withScrapeTokenFile(Path file) {
        return new AgentSettings(listenAddress, port, allowedHosts, tokenFile, jackServer, feedRateHz, maxBodyBytes,
                maxFrameBytes, authTimeoutMillis, file, hubPasswordFile);
    }

    /** The same settings with the hub password kept in {@code file}. */
    public AgentSettings withHubPasswordFile(Path file) {
        return new AgentSettings(listenAddress, port, allowedHosts, tokenFile, jackServer, feedRateHz, maxBodyBytes,
                maxFrameBytes, authTimeoutMillis, scrapeTokenFile, file);
    }
}
