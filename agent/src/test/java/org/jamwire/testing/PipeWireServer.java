package org.jamwire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PipeWire daemon, headless, its graph driven by PipeWire's dummy driver at a given rate
 * and quantum (its data thread realtime, as jackd's test servers run), with no session manager and
 * no devices: JACK programs reach it through PipeWire's
 * own libjack, as {@code pw-jack} runs them ({@link #env}: its runtime directory, and that libjack
 * first on the library path). Its socket lives in a runtime directory of its own, so daemons of
 * several tests never meet. Started and stopped from the test thread; killed on JVM exit if a test
 * forgets to close it.
 */
public final class PipeWireServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final Path runtime;
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Runnable cancelExitKill;

    private PipeWireServer(Path dir, int rate, int quantum, Path configHome) throws IOException {
        this.dir = dir;
        this.runtime = Files.createDirectory(dir.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        final ProcessBuilder pb;
        if (configHome == null) {
            final Path conf = dir.resolve("pipewire.conf");
            Files.writeString(conf, config(rate, quantum));
            pb = new ProcessBuilder("pipewire", "-c", conf.toString());
        } else {
            // As a user's daemon reads it: pipewire.conf, then every drop-in of pipewire.conf.d.
            Files.writeString(Files.createDirectories(configHome.resolve("pipewire")).resolve("pipewire.conf"),
                    config(rate, quantum));
            pb = new ProcessBuilder("pipewire");
            pb.environment().put("XDG_CONFIG_HOME", configHome.toString());
        }
        pb.redirectErrorStream(true);
        pb.environment().putAll(daemonEnv());
        this.process = pb.start();
        final Thread reader = new Thread(this::readOutput, "pipewire-output");
        reader.setDaemon(true);
        reader.start();
        this.cancelExitKill = TestJvm.atExit(process::destroyForcibly);
    }

    /** Starts a daemon whose graph runs at {@code rate} Hz and {@code quantum} frames, and waits until it answers. */
    public static PipeWireServer start(int rate, int quantum) {
        return start(rate, quantum, null);
    }

    /**
     * As {@link #start(int, int)}, reading its configuration as a user's daemon does, from
     * {@code configHome} (XDG_CONFIG_HOME): this headless configuration is written there as
     * {@code pipewire/pipewire.conf}, and the drop-ins already in {@code pipewire/pipewire.conf.d}
     * change it.
     */
    public static PipeWireServer start(int rate, int quantum, Path configHome) {
        final PipeWireServer server;
        try {
            server = new PipeWireServer(Files.createTempDirectory("jamwire-pipewire-"), rate, quantum, configHome);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run pipewire: is Debian's pipewire installed"
                    + " (scripts/install-test-deps)?", e);
        }
        try {
            Deadlines.await(START_TIMEOUT, () -> !server.process.isAlive() || server.tool("pw-cli", "info", "0")
                    .exit() == 0, () -> "pipewire answering: " + server.output());
            if (!server.process.isAlive()) {
                throw new AssertionError("pipewire exited: " + server.output());
            }
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /**
     * The daemon's configuration: its native protocol and the modules a JACK client needs (client
     * nodes, links, metadata), the dummy driver, and the graph's clock at {@code rate} and
     * {@code quantum}. No device, no session manager: JACK clients link their ports themselves.
     */
    private static String config(int rate, int quantum) {
        return """
                context.properties = {
                    core.daemon = true
                    core.name = pipewire-0
                    default.clock.rate = %d
                    default.clock.allowed-rates = [ %d ]
                    default.clock.quantum = %d
                    default.clock.min-quantum = 16
                    default.clock.max-quantum = 8192
                    settings.check-quantum = true
                    settings.check-rate = true
                    mem.allow-mlock = false
                }
                context.spa-libs = {
                    audio.convert.* = audioconvert/libspa-audioconvert
                    support.* = support/libspa-support
                }
                context.modules = [
                    { name = libpipewire-module-rt args = { rt.prio = 88 } flags = [ ifexists nofail ] }
                    { name = libpipewire-module-protocol-native }
                    { name = libpipewire-module-profiler }
                    { name = libpipewire-module-metadata }
                    { name = libpipewire-module-spa-node-factory }
                    { name = libpipewire-module-client-node }
                    { name = libpipewire-module-access args = { } }
                    { name = libpipewire-module-adapter }
                    { name = libpipewire-module-link-factory }
                ]
                context.objects = [
                    { factory = metadata args = { metadata.name = default } }
                    { factory = spa-node-factory
                        args = {
                            factory.name = support.node.driver
                            node.name = Dummy-Driver
                            node.group = pipewire.dummy
                            priority.driver = 20000
                        }
                    }
                ]
                """.formatted(rate, rate, quantum);
    }

    private Map<String, String> daemonEnv() {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("PIPEWIRE_RUNTIME_DIR", runtime.toString());
        env.put("PIPEWIRE_REMOTE", "pipewire-0");
        return env;
    }

    /**
     * What a program needs in its environment to be a client of this daemon, as {@code pw-jack}
     * gives it: the daemon's runtime directory, and PipeWire's libjack first on the library path.
     */
    public Map<String, String> env() {
        final Map<String, String> env = daemonEnv();
        env.put("LD_LIBRARY_PATH", jackLibraries().toString());
        return env;
    }

    /** {@link #env} as a command prefix: {@code env K=V ...}. */
    public List<String> envPrefix() {
        final List<String> prefix = new ArrayList<>(List.of("env"));
        env().forEach((k, v) -> prefix.add(k + "=" + v));
        return prefix;
    }

    /** Where PipeWire keeps its libjack: {@code /usr/lib/ARCH/pipewire-0.3/jack}. */
    public static Path jackLibraries() {
        try (DirectoryStream<Path> arches = Files.newDirectoryStream(Path.of("/usr/lib"), "*-linux-gnu*")) {
            for (Path arch : arches) {
                final Path jack = arch.resolve("pipewire-0.3/jack");
                if (Files.isRegularFile(jack.resolve("libjack.so.0"))) {
                    return jack;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("PipeWire's libjack is not installed: apt install pipewire-jack"
                + " (scripts/install-test-deps)");
    }

    /** Sets a metadata key of the graph's settings, e.g. {@code clock.force-quantum}, as a user would. */
    public void setting(String key, String value) {
        final Tool t = tool("pw-metadata", "-n", "settings", "0", key, value);
        if (t.exit() != 0) {
            throw new IllegalStateException("pw-metadata " + key + " " + value + " failed: " + t.output());
        }
    }

    /** The JACK ports of the graph, as {@code jack_lsp} (through PipeWire's libjack) lists them. */
    public List<String> lsp(String... options) {
        final List<String> command = new ArrayList<>(List.of("jack_lsp"));
        command.addAll(List.of(options));
        final Tool t = tool(command.toArray(String[]::new));
        return t.exit() == 0 ? t.output().lines().toList() : List.of();
    }

    /** The graph's quantum as a JACK client sees it ({@code jack_bufsize}). */
    public int bufferSize() {
        final Tool t = tool("jack_bufsize");
        return t.exit() == 0 ? Integer.parseInt(t.output().strip().split("\\s+")[0]) : 0;
    }

    private record Tool(int exit, String output) {
    }

    private Tool tool(String... command) {
        Path out = null;
        try {
            out = Files.createTempFile(dir, "tool-", ".txt");
            final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(env());
            final Process p = pb.start();
            if (!p.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " hung for " + TOOL_TIMEOUT
                        + " against pipewire: " + output());
            }
            return new Tool(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // In the daemon's directory, which close() removes.
                }
            }
        }
    }

    private void readOutput() {
        try (InputStream in = process.getInputStream()) {
            final byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0;) {
                synchronized (output) {
                    output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // The daemon is gone.
        }
    }

    /** What the daemon printed so far. */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cancelExitKill.run();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: the system cleans it up.
        }
    }
}
