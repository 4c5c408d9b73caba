package org.jamwire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus server ({@code /usr/bin/prometheus}, installed by scripts/install-test-deps)
 * on a loopback port of its own, with a configuration and a data directory of the test's. Started
 * and stopped from the test thread.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Path PROGRAM = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;
    private final Runnable cancelExitKill;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.cancelExitKill = TestJvm.atExit(process::destroyForcibly);
    }

    /** Starts Prometheus with {@code config} (YAML) under {@code dir}, and waits until it is ready. */
    public static PrometheusServer start(Path dir, String config) throws IOException {
        if (!Files.isExecutable(PROGRAM)) {
            throw new IllegalStateException(PROGRAM + " is missing: run scripts/install-test-deps");
        }
        final Path file = Files.writeString(Files.createDirectories(dir).resolve("prometheus.yml"), config);
        final int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        final Path log = dir.resolve("prometheus.log");
        final Process p = new ProcessBuilder(PROGRAM.toString(), "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final PrometheusServer server = new PrometheusServer(p, log, port);
        try {
            Deadlines.await(Duration.ofSeconds(60), () -> !p.isAlive() || server.ready(),
                    () -> "Prometheus ready on port " + port + ":\n" + server.log());
            if (!p.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + p.exitValue() + ":\n" + server.log());
            }
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What Prometheus printed. */
    public String log() {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(its log cannot be read: " + e.getMessage() + ")";
        }
    }

    /** The result vector of an instant query: one element per series, each with "metric" and "value". */
    public List<JsonNode> query(String promql) {
        final JsonNode r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(r.path("status").asText())) {
            throw new AssertionError("query " + promql + ": " + r);
        }
        final List<JsonNode> out = new ArrayList<>();
        r.path("data").path("result").forEach(out::add);
        return out;
    }

    /** The active scrape targets, each with its "labels", "health" and "lastError". */
    public List<JsonNode> targets() {
        final List<JsonNode> out = new ArrayList<>();
        get("/api/v1/targets?state=active").path("data").path("activeTargets").forEach(out::add);
        return out;
    }

    private JsonNode get(String path) {
        try {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        cancelExitKill.run();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
