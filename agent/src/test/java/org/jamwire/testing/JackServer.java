package org.jamwire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private {@code jackd} with the dummy driver, under a name unique to this machine (JACK server
 * names are machine-wide). Started and stopped from the test thread; killed on JVM exit if a test
 * forgets to close it.
 */
public final class JackServer implements AutoCloseable {

    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Path SHM = Path.of("/dev/shm");

    private final String name;
    private final int sampleRate;
    private final int frames;
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Thread outputReader;
    private final Runnable cancelExitKill;

    private JackServer(String name, int sampleRate, int frames, int captures, int playbacks) throws IOException {
        this.name = name;
        this.sampleRate = sampleRate;
        this.frames = frames;
        // --port-max keeps the shared-memory segment small (the default is sized for 2048 ports).
        this.process = new ProcessBuilder("jackd", "-n", name, "--port-max", "128", "-d", "dummy",
                "-r", Integer.toString(sampleRate), "-p", Integer.toString(frames),
                "-C", Integer.toString(captures), "-P", Integer.toString(playbacks))
                .redirectErrorStream(true)
                .start();
        this.outputReader = new Thread(this::readOutput, "jackd-output " + name);
        outputReader.setDaemon(true);
        outputReader.start();
        this.cancelExitKill = TestJvm.atExit(process::destroyForcibly);
    }

    /** Starts a server with 2 capture and 2 playback ports and waits until it accepts clients. */
    public static JackServer start(int sampleRate, int frames) {
        return start(sampleRate, frames, 2, 2);
    }

    /** Starts a server with the given system ports and waits until it accepts clients. */
    public static JackServer start(int sampleRate, int frames, int captures, int playbacks) {
        return startNamed("jamwire-test-" + ProcessHandle.current().pid() + "-" + SERIAL.incrementAndGet(),
                sampleRate, frames, captures, playbacks);
    }

    /** Starts a server under a given name, e.g. again after {@link #kill()}, and waits until it accepts clients. */
    public static JackServer startNamed(String name, int sampleRate, int frames, int captures, int playbacks) {
        final JackServer server;
        try {
            server = new JackServer(name, sampleRate, frames, captures, playbacks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run jackd: is jackd2 installed?", e);
        }
        try {
            server.awaitReady();
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void awaitReady() {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("jackd " + name + " exited with " + process.exitValue() + ":\n" + output());
            }
            if (lsp().stream().anyMatch(port -> port.startsWith("system:"))) {
                return;
            }
            Deadlines.pause();
        }
        throw new IllegalStateException("jackd " + name + " did not accept clients within " + START_TIMEOUT + ":\n" + output());
    }

    /** The server's name, for {@code JACK_DEFAULT_SERVER} or {@code jackd -n}. */
    public String name() {
        return name;
    }

    /** Sample rate the server was started with. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Frames per period the server was started with. */
    public int frames() {
        return frames;
    }

    /** Everything jackd printed so far. */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Xruns jackd has reported so far (its "XRun" lines). */
    public long xruns() {
        return output().lines().filter(line -> line.contains("XRun")).count();
    }

    /** Runs {@code jack_lsp} with the given options against this server and returns its lines. */
    public List<String> lsp(String... options) {
        return lspOf(name, options);
    }

    /**
     * Runs {@code jack_lsp} with the given options against the server named {@code server}, which
     * may belong to another process, and returns its lines (none if the server is not there).
     */
    public static List<String> lspOf(String server, String... options) {
        final List<String> command = new ArrayList<>(List.of("jack_lsp"));
        command.addAll(List.of(options));
        final Tool lsp = run(server, command);
        return lsp.exitValue() == 0 ? lsp.output().lines().toList() : List.of();
    }

    /**
     * Whether the server named {@code server} lists its ports and {@code port} is not among them.
     * A listing without the server's own system ports is not believed: jack_lsp gives none when it
     * fails, which must not pass for a port that went.
     */
    public static boolean portGone(String server, String port) {
        final List<String> ports = lspOf(server);
        return ports.contains("system:capture_1") && !ports.contains(port);
    }

    /** Connects two ports on this server with {@code jack_connect}; true if it did. */
    public boolean connect(String source, String destination) {
        return run(name, List.of("jack_connect", source, destination)).exitValue() == 0;
    }

    /** Waits until the server named {@code server} has {@code port}. */
    public static void awaitPort(String server, String port, Duration timeout) {
        Deadlines.await(timeout, () -> lspOf(server).contains(port), () -> "port " + port + " on " + server
                + ": " + lspOf(server));
    }

    /** Changes the server's period with {@code jack_bufsize}. */
    public void setBufferSize(int newFrames) {
        final Tool bufsize = run(name, List.of("jack_bufsize", Integer.toString(newFrames)));
        if (bufsize.exitValue() != 0) {
            throw new IllegalStateException("jack_bufsize " + newFrames + " failed: " + bufsize.output());
        }
    }

    private record Tool(int exitValue, String output) {}

    /** How long a JACK command-line tool may take: one that hangs (a stale registry) fails the test. */
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Runs a JACK command-line tool against the server named {@code name}. Its output goes to a
     * file, so that a tool that hangs is caught by the timeout instead of blocking a read.
     */
    private static Tool run(String name, List<String> command) {
        Path out = null;
        try {
            out = Files.createTempFile("jamwire-jack-tool-", ".txt");
            final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(out.toFile());
            builder.environment().put("JACK_DEFAULT_SERVER", name);
            builder.environment().put("JACK_NO_START_SERVER", "1");
            final Process tool = builder.start();
            if (!tool.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                // Where the tool and the server stand, for a hang that a rerun would not show again.
                final String stacks = nativeStacks(command.get(0), tool.pid()) + serverProcesses(name).stream()
                        .map(server -> nativeStacks("jackd -n " + name, server)).reduce("", String::concat);
                tool.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " hung for " + TOOL_TIMEOUT
                        + " on server " + name + ": is the machine's JACK registry stale (/dev/shm/jack-shm-registry)?"
                        + stacks);
            }
            return new Tool(tool.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // A temporary file: the system cleans it up.
                }
            }
        }
    }

    /** The processes of the jackd serving {@code name}. */
    private static List<Long> serverProcesses(String name) {
        return ProcessHandle.allProcesses().filter(p -> {
            final List<String> args = List.of(p.info().arguments().orElse(new String[0]));
            final int n = args.indexOf("-n");
            return p.info().command().orElse("").endsWith("jackd") && n >= 0 && n + 1 < args.size()
                    && args.get(n + 1).equals(name);
        }).map(ProcessHandle::pid).toList();
    }

    /** Every thread's native stack in process {@code pid}, from gdb, as text for a failure message. */
    private static String nativeStacks(String what, long pid) {
        final List<String> gdb = List.of("timeout", "30", "gdb", "-p", Long.toString(pid), "-batch", "-ex",
                "thread apply all bt 12");
        try {
            final Process dump = new ProcessBuilder(gdb).redirectErrorStream(true).start();
            final String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor(30, TimeUnit.SECONDS);
            // Only the threads and their frames: gdb's banner and symbol loading say nothing here.
            final String frames = text.lines().filter(line -> line.startsWith("Thread ") || line.startsWith("#"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            return "\n\nthreads of " + what + " (pid " + pid + "):\n" + frames;
        } catch (IOException e) {
            return "\n\nthe threads of " + what + " (pid " + pid + ") could not be read: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Connects two ports of server {@code server} with jack_connect, failing the test if it cannot. */
    public static void connect(String server, String from, String to) {
        final Tool connect = run(server, List.of("jack_connect", from, to));
        if (connect.exitValue() != 0) {
            throw new AssertionError("jack_connect " + from + " " + to + " on " + server + ": " + connect.output());
        }
    }

    /** Ports connected to {@code port}, from {@code jack_lsp -c}. */
    public Set<String> connections(String port) {
        final Set<String> connected = new LinkedHashSet<>();
        boolean inPort = false;
        for (final String line : lsp("-c")) {
            if (!line.startsWith(" ")) {
                inPort = line.equals(port);
            } else if (inPort) {
                connected.add(line.trim());
            }
        }
        return connected;
    }

    /**
     * Kills jackd with SIGKILL, as a crash would, and removes the shared memory it leaves behind
     * (found in its memory map before the kill).
     */
    public void kill() {
        final Set<Path> segments = mappedSharedMemory();
        process.destroyForcibly();
        awaitExit();
        try (Stream<Path> files = Files.list(SHM)) {
            files.filter(file -> file.getFileName().toString().contains("_" + name + "_")).forEach(segments::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (final Path segment : segments) {
            try {
                Files.deleteIfExists(segment);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Set<Path> mappedSharedMemory() {
        final Set<Path> segments = new LinkedHashSet<>();
        try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(process.pid()), "maps"))) {
            maps.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(path -> path.startsWith("/dev/shm/jack"))
                    .forEach(path -> segments.add(Path.of(path)));
        } catch (IOException e) {
            // Already gone: nothing of it is left to find.
        }
        return segments;
    }

    /** Whether jackd is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops jackd cleanly (SIGTERM), or kills it if it does not stop within 5 seconds. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
        cancelExitKill.run();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("jackd " + name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void readOutput() {
        final byte[] chunk = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                synchronized (output) {
                    output.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // jackd exited.
        }
    }

    @Override
    public String toString() {
        return "jackd " + name + " (" + sampleRate + " Hz, " + frames + " frames)";
    }
}
