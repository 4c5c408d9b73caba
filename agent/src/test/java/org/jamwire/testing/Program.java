package org.jamwire.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real program run by a test on a named JACK server: {@code jacktrip} 1.7, or JamWire's own jar.
 * Its output is collected so tests can wait for what it prints and show it when they fail. Closing
 * it sends SIGTERM, on which both send their stop packets, and kills it if it lingers.
 */
public final class Program implements AutoCloseable {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final List<String> command;

    private Program(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        final Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append("[reading output failed: ").append(e).append("]\n");
            }
        }, command.get(0) + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code jacktrip args...} with JACK_DEFAULT_SERVER set to {@code jackServer}. */
    public static Program jacktrip(String jackServer, String... args) throws IOException {
        // Line-buffered, so that what it printed is there to read while it runs.
        final List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", "-eL"));
        cmd.add("jacktrip");
        cmd.addAll(List.of(args));
        return start(cmd, jackServer);
    }

    /** As {@link #jacktrip}, with {@code env} added to its environment (e.g. to run on PipeWire's libjack). */
    public static Program jacktrip(String jackServer, java.util.Map<String, String> env, String... args)
            throws IOException {
        final List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", "-eL"));
        cmd.add("jacktrip");
        cmd.addAll(List.of(args));
        return start(cmd, jackServer, env);
    }

    /**
     * As {@link #jacktrip}, writing {@code input} to its standard input (jacktrip's client reads a
     * missing user name and password from there).
     */
    public static Program jacktripWithInput(String jackServer, String input, String... args) throws IOException {
        final Program p = jacktrip(jackServer, args);
        p.process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.process.getOutputStream().flush();
        return p;
    }

    /**
     * As {@link #jamwire}, with {@code env} added to its environment (e.g. a hub password, which
     * never goes on its command line).
     */
    public static Program jamwire(String jackServer, java.util.Map<String, String> env, String... args)
            throws IOException {
        return start(jamwireCommand(args), jackServer, env);
    }

    /**
     * Starts JamWire's shaded jar (system property {@code jamwire.jar}, set by the build) with
     * {@code args}, with JACK_DEFAULT_SERVER set to {@code jackServer}, under the JVM options users
     * get from {@code ./jamwire} (the file named by system property {@code jamwire.jvmOptions}).
     */
    public static Program jamwire(String jackServer, String... args) throws IOException {
        return start(jamwireCommand(args), jackServer);
    }

    /**
     * As {@link #jamwire}, on a terminal of its own (through {@code script}), as a user at a shell runs
     * it: its stdin and stdout are a terminal, what {@link #type} writes is typed there, and its output
     * comes with the terminal's CRLF line ends.
     */
    public static Program jamwireOnTerminal(String... args) throws IOException {
        final StringBuilder line = new StringBuilder();
        for (String word : jamwireCommand(args)) {
            line.append(line.length() == 0 ? "" : " ").append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return start(List.of("script", "-qefc", line.toString(), "/dev/null"), null);
    }

    /** Types {@code text} on its stdin (or its terminal, for {@link #jamwireOnTerminal}). */
    public void type(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    private static List<String> jamwireCommand(String... args) throws IOException {
        final String jar = System.getProperty("jamwire.jar");
        if (jar == null || !new java.io.File(jar).isFile()) {
            throw new IllegalStateException("system property jamwire.jar does not name the built jar: " + jar
                    + " (run the integration tests with 'mvn verify')");
        }
        final List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions());
        cmd.addAll(List.of("-jar", jar));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The options in jvm.options at the repository root, as ./jamwire reads them. */
    private static List<String> jvmOptions() throws IOException {
        final String file = System.getProperty("jamwire.jvmOptions");
        if (file == null || !new java.io.File(file).isFile()) {
            throw new IllegalStateException("system property jamwire.jvmOptions does not name jvm.options: " + file);
        }
        final List<String> options = new ArrayList<>();
        for (final String line : Files.readAllLines(Path.of(file))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                options.add(line.strip());
            }
        }
        return options;
    }

    /**
     * Starts JamWire's launcher, {@code ./jamwire} at the repository root (system property
     * {@code jamwire.launcher}), with {@code prefix} before it (e.g. {@code ip netns exec NS}).
     */
    public static Program launcher(String jackServer, List<String> prefix, String... args) throws IOException {
        final String launcher = System.getProperty("jamwire.launcher");
        if (launcher == null || !new java.io.File(launcher).canExecute()) {
            throw new IllegalStateException("system property jamwire.launcher does not name ./jamwire: " + launcher);
        }
        final List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("env", "JACK_DEFAULT_SERVER=" + jackServer, launcher));
        cmd.addAll(List.of(args));
        return start(cmd, jackServer);
    }

    private static Program start(List<String> cmd, String jackServer) throws IOException {
        return start(cmd, jackServer, java.util.Map.of());
    }

    private static Program start(List<String> cmd, String jackServer, java.util.Map<String, String> env)
            throws IOException {
        // Ctrl-C as the program would meet it at a terminal: a shell that started this JVM in the
        // background without job control made it ignore SIGINT, and its children would inherit that.
        final List<String> withSignals = new ArrayList<>(List.of("env", "--default-signal=INT"));
        withSignals.addAll(cmd);
        final ProcessBuilder pb = new ProcessBuilder(withSignals).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (jackServer != null) {
            pb.environment().put("JACK_DEFAULT_SERVER", jackServer);
        }
        pb.environment().put("JACK_NO_AUDIO_RESERVATION", "1");
        final Program p = new Program(cmd, pb.start());
        TestJvm.atExit(p.process::destroyForcibly);
        return p;
    }

    /** The exit code; the program must have exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Sends SIGINT, as Ctrl-C would. */
    public void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    }

    /**
     * Writes the threads of this (Java) program to {@code file}: their Java stacks ({@code jstack
     * -l}, with the locks they hold) and their native stacks ({@code gdb}), for a test that failed
     * because the program stood still somewhere. Returns what to say of it in the failure.
     */
    public String dumpThreads(Path file) {
        final String pid = Long.toString(process.pid());
        try {
            Files.createDirectories(file.getParent());
            final StringBuilder out = new StringBuilder();
            for (List<String> tool : List.of(List.of("timeout", "60", "jstack", "-l", pid),
                    List.of("timeout", "60", "gdb", "-p", pid, "-batch", "-ex", "thread apply all bt"))) {
                final Process dump = new ProcessBuilder(tool).redirectErrorStream(true).start();
                final byte[] text = dump.getInputStream().readAllBytes();
                dump.waitFor(60, TimeUnit.SECONDS);
                out.append("$ ").append(String.join(" ", tool)).append('\n')
                        .append(new String(text, StandardCharsets.UTF_8)).append('\n');
            }
            Files.writeString(file, out);
            return "\nits threads: " + file.toAbsolutePath();
        } catch (IOException e) {
            return "\nits threads could not be written to " + file + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "\ninterrupted while writing its threads to " + file;
        }
    }

    /** Everything it printed so far. */
    public String output() {
        return output.toString();
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until its output contains {@code text}. */
    public void awaitOutput(String text, Duration timeout) {
        Deadlines.await(timeout, () -> output.indexOf(text) >= 0,
                () -> command.get(0) + " to print '" + text + "': " + String.join(" ", command) + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")")
                        + "\n" + output());
    }

    /** Waits for it to exit; true if it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
