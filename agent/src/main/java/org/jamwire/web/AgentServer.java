package org.jamwire.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.jamwire.control.AgentMetrics;
import org.jamwire.control.EventBus;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.LinkManager;
import org.jamwire.coordinator.EnsembleFile;
import org.jamwire.coordinator.EnsembleRunFile;
import org.jamwire.coordinator.Ensembles;
import org.jamwire.coordinator.KnownHosts;
import org.jamwire.coordinator.Lab;
import org.jamwire.coordinator.PeerAgent;
import org.jamwire.coordinator.PeerFeeds;
import org.jamwire.coordinator.Provisioning;
import org.jamwire.coordinator.SshSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP and WebSocket server: the API, the live feed and the UI, behind the token, Host
 * and Origin checks. Built by {@link #start} on the control thread; handlers run on Jetty's threads.
 */
public final class AgentServer implements AutoCloseable {

    /** Where the UI's files are on the classpath. */
    static final String UI_RESOURCES = "/org/jamwire/web/ui";
    static final String OPENAPI_RESOURCE = "/org/jamwire/web/openapi.json";
    /** Frames queued to one socket at most, about 4 s of the feed at 30 Hz with every topic. */
    static final int MAX_QUEUED_FRAMES = 512;
    private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);

    private final AgentSettings settings;
    private final Token token;
    private final EventBus bus = new EventBus();
    private final LinkManager links;
    private final JackMonitor jack;
    private final LiveFeed feed;
    private final Lab lab;
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final String openApi;
    private final Guards guards;
    private final Refusals refused = new Refusals();
    private final Set<String> apiRoutes = ConcurrentHashMap.newKeySet();
    private Javalin app;

    private volatile PairController pairs;
    private final ProvisionController provisions;
    private final Ensembles ensembles;

    private AgentServer(AgentSettings settings, Token token, Token scrapeToken) {
        this.settings = settings;
        this.token = token;
        this.guards = new Guards(token, scrapeToken);
        this.links = new LinkManager(effectiveJackServer(settings.jackServer()), bus, settings.hubPasswordFile());
        this.jack = new JackMonitor(effectiveJackServer(settings.jackServer()), bus);
        final Path dir = settings.tokenFile().toAbsolutePath().getParent();
        try {
            this.lab = new Lab(dir.resolve("peers.json"),
                    new KnownHosts(dir.resolve("known_hosts")),
                    SshSession.Timeouts.defaults());
            this.ensembles = new Ensembles(new EnsembleFile(dir.resolve("ensembles.json")),
                    new EnsembleRunFile(dir.resolve("ensembles-running.json")), lab,
                    job -> EnsembleController.publish(bus, job));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.provisions = new ProvisionController(json,
                new Provisioning(lab, dir.resolve("provision.json")), bus);
        this.feed = new LiveFeed(json, token, links, jack, bus, settings, new PeerFeeds(lab),
                provisions::jobs);
        this.openApi = resource(OPENAPI_RESOURCE);
    }

    private static String effectiveJackServer(String name) {
        if (name != null) {
            return name;
        }
        final String env = System.getenv("JACK_DEFAULT_SERVER");
        return env != null ? env : "default";
    }

    /**
     * Starts an agent: watches JACK, serves the API, the feed and the UI.
     *
     * @throws IOException when the token file cannot be read or written
     * @throws IllegalStateException when the address cannot be bound
     */
    public static AgentServer start(AgentSettings settings) throws IOException {
        final AgentServer server;
        try {
            server = new AgentServer(settings, Token.loadOrCreate(settings.tokenFile()),
                    settings.scrapeTokenFile() == null ? null : Token.loadOrCreate(settings.scrapeTokenFile()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        server.jack.start();
        try {
            server.app = server.create().start(settings.listenAddress(), settings.port());
        } catch (RuntimeException e) {
            server.jack.close();
            throw new IllegalStateException("cannot listen on " + settings.listenAddress() + ":" + settings.port()
                    + ": " + rootMessage(e) + " (is another agent running? pick another port with --port)", e);
        }
        server.guards.hosts(new HostCheck(settings.listenAddress(), settings.allowedHosts(), server.app.port()));
        server.ensembles.thisMachine(new LocalMachine(PeerAgent.here(settings.listenAddress(), server.app.port(),
                server.token.value()), server.jack));
        server.feed.start();
        // Ensembles that ran when this agent last stopped are found again.
        server.ensembles.resume();
        return server;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private Javalin create() {
        final Controllers api = new Controllers(json, links, jack, this::refusals);
        final LabController labApi = new LabController(json, lab, jack);
        final PairController pairs = new PairController(json, lab, jack, api, links, bus);
        this.pairs = pairs;
        final boolean withUi = getClass().getResource(UI_RESOURCES + "/index.html") != null;
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.events.handlerAdded(h -> {
                if (h.getPath().startsWith("/api/") && h.getHttpMethod().isHttpMethod()) {
                    apiRoutes.add(h.getHttpMethod().name() + " " + h.getPath());
                }
            });
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxTextMessageSize(settings.maxFrameBytes());
                f.setMaxBinaryMessageSize(settings.maxFrameBytes());
                // A browser that stops reading must not make the agent queue its feed without end:
                // past this many unsent frames, further sends to it fail and are dropped.
                f.setMaxOutgoingFrames(MAX_QUEUED_FRAMES);
            });
            config.jetty.modifyServer(s -> {
                s.setStopTimeout(1000);
                // What Jetty refuses before a handler of ours runs is answered in the API's JSON too.
                s.setErrorHandler(new JsonErrorHandler(json, refused));
            });
            if (withUi) {
                config.staticFiles.add(sf -> {
                    sf.hostedPath = "/";
                    sf.directory = UI_RESOURCES;
                    sf.location = Location.CLASSPATH;
                    sf.headers = Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff",
                            "Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:;"
                                    + " style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
                            "Referrer-Policy", "no-referrer");
                });
            }
            // Host and Origin before anything else, including the UI's files.
            config.routes.before(guards::checkHostAndOrigin);
            config.routes.before("/api/*", guards::checkToken);
            config.routes.before("/metrics", guards::checkScrapeToken);
            config.routes.get("/metrics", new MetricsController(new AgentMetrics(links, jack, feed::clients))::scrape);
            // Javalin runs no before handler for a WebSocket upgrade: check it where it does run.
            config.routes.wsBeforeUpgrade("/api/live", guards::checkUpgrade);
            config.routes.ws("/api/live", feed::configure);
            if (!withUi) {
                config.routes.get("/", ctx -> ctx.contentType("text/plain").result(
                        "This JamWire agent was built without its web UI (the web module). The API is at /api."));
            }
            Routes.api(config, api, labApi, provisions, pairs, new InventoryController(json, lab, labApi::view),
                    openApi);
            Routes.ensembles(config, new EnsembleController(json, ensembles));
            config.routes.exception(ApiException.class, (e, ctx) -> {
                refused.accept(e.body().error());
                ctx.status(e.status()).json(e.body());
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> httpError(ctx, e.getStatus(),
                    e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                final HttpException bad = httpCause(e);
                if (bad != null && bad.getCode() < 500) {
                    // The client's fault (a body that is not valid chunked encoding, say): said, not logged.
                    httpError(ctx, bad.getCode(), JsonErrorHandler.message(bad.getCode(), bad.getReason()));
                    return;
                }
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(new ApiException.ApiError("internal", null, null,
                        "the agent failed to handle this request; its log has the details"));
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() != null) {
                    return;
                }
                if (ctx.path().startsWith("/api")) {
                    ctx.json(new ApiException.ApiError("not_found", null, null, "no such endpoint: " + ctx.method()
                            + " " + Guards.shown(ctx.path()) + "; GET /api/openapi.json lists them"));
                } else {
                    ctx.json(new ApiException.ApiError("not_found", null, null, "no such page: "
                            + Guards.shown(ctx.path())
                            + "; the agent's UI is at /"));
                }
            });
            config.routes.error(405, ctx -> ctx.json(new ApiException.ApiError("invalid", null, null,
                    "method " + ctx.method() + " is not allowed on " + Guards.shown(ctx.path()))));
        });
    }

    /** The HTTP error Jetty found somewhere in {@code e}'s causes, or null. */
    private static HttpException httpCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException h) {
                return h;
            }
        }
        return null;
    }

    private void httpError(Context ctx, int status, String message) {
        final String error = JsonErrorHandler.word(status);
        final String text = status == 413
                ? "the request body is larger than " + (ctx.contentLength() > 0 ? "the limit of " : "")
                        + "64 KiB allowed"
                : message;
        refused.accept(error);
        ctx.status(status).json(new ApiException.ApiError(error, null, null, text));
    }

    private static String resource(String path) {
        try (InputStream in = AgentServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path, e);
        }
    }

    /** Every REST route, as "METHOD /path", for checking the OpenAPI document against. */
    Set<String> apiRoutes() {
        return Set.copyOf(apiRoutes);
    }

    /** The port the agent listens on. */
    public int port() {
        return app.port();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(settings.listenAddress(), app.port());
    }

    /** The token. */
    public Token token() {
        return token;
    }

    /** The link manager, for the command line's summary at exit. */
    public LinkManager links() {
        return links;
    }

    /** Requests refused so far by error word, and the feed's refused messages and sockets. */
    Map<String, Long> refusals() {
        final Map<String, Long> m = refused.counts();
        m.put("feed_bad_messages", feed.badMessages());
        m.put("feed_auth_failures", feed.authFailures());
        return m;
    }

    /**
     * Adds the hosts of an Ansible inventory's {@code lab} group as peers, as {@code POST
     * /api/lab/inventory} does; for {@code jamwire agent --lab-inventory}.
     *
     * @return one line per host: added, kept (a peer of that name existed) or refused, and why
     * @throws IOException when the inventory cannot be read or the peers saved; the message says why
     */
    public List<String> importLabInventory(String path) throws IOException {
        return InventoryController.importForConsole(lab, path);
    }

    /** The JACK server's state as last seen. */
    public JackMonitor.State jackState() {
        return jack.state();
    }

    /** Feed messages refused so far. */
    public long feedBadMessages() {
        return feed.badMessages();
    }

    /** Feed sockets closed for want of a token. */
    public long feedAuthFailures() {
        return feed.authFailures();
    }

    /** Stops the links, the feed, the server and the JACK watch. */
    @Override
    public void close() {
        feed.close();
        if (pairs != null) {
            pairs.close();
        }
        provisions.close();
        ensembles.close();
        lab.close();
        links.close();
        try {
            if (app != null) {
                app.stop();
            }
        } catch (RuntimeException e) {
            // Jetty stops whatever its graceful second did not see closed (a browser's socket, a
            // request under way), and then says it timed out: the server is stopped all the same.
            if (!(e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            LOG.info("stopped; connections still open after a second were closed");
        } finally {
            jack.close();
        }
    }
}
