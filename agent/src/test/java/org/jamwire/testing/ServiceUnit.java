package org.jamwire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A systemd service run the way systemd runs it, where systemd cannot (a lab host in a network
 * namespace): the unit's {@code ExecStart=} as the unit file says ({@link UnitFile}), in a clean
 * environment made of {@code Environment=} and {@code EnvironmentFile=} (read again at each start),
 * expanded by systemd's rules, as the unit's {@code User=}, and started again after
 * {@code RestartSec=} when it exits and {@code Restart=} ({@code no}, {@code always},
 * {@code on-failure}) asks for it, within systemd's default start limit (5 starts in 10 s).
 * Started and closed from the test thread; a watcher thread of its own restarts it.
 */
public final class ServiceUnit implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_LIMIT_BURST = 5;
    private static final Duration START_LIMIT_INTERVAL = Duration.ofSeconds(10);
    /** Exit statuses that are clean for {@code Restart=on-failure}: 0, and SIGHUP, SIGINT, SIGTERM, SIGPIPE. */
    private static final Set<Integer> CLEAN_EXITS = Set.of(0, 128 + 1, 128 + 2, 128 + 15, 128 + 13);

    private final UnitFile unit;
    private final UnaryOperator<Path> here;
    private final List<String> prefix;
    private final Path log;
    private final Map<String, String> extraEnv;
    private final Deque<Long> startTimes = new ArrayDeque<>();
    private final Thread watcher;
    private final Runnable cancelExitKill;
    private Process process;
    private List<String> command = List.of();
    private boolean closed;
    private int starts;
    private String ended = "";

    private ServiceUnit(UnitFile unit, UnaryOperator<Path> here, List<String> prefix, Map<String, String> extraEnv,
            Path log) {
        this.unit = unit;
        this.extraEnv = Map.copyOf(extraEnv);
        this.here = here;
        this.prefix = List.copyOf(prefix);
        this.log = log;
        this.watcher = new Thread(this::watch, "service-unit " + log.getFileName());
        watcher.setDaemon(true);
        this.cancelExitKill = TestJvm.atExit(() -> current().destroyForcibly());
    }

    /**
     * Starts {@code unit}'s process, inside {@code prefix} (e.g. {@code LabHosts.Host.on(List.of())}),
     * with its output appended to {@code log}. {@code here} finds the machine's absolute paths on this
     * one (e.g. under a test's install root), for the environment files and for each absolute word of
     * the command line.
     */
    public static ServiceUnit start(UnitFile unit, UnaryOperator<Path> here, List<String> prefix, Path log)
            throws IOException {
        return start(unit, here, prefix, Map.of(), log);
    }

    /**
     * As {@link #start(UnitFile, UnaryOperator, List, Path)}, with {@code extraEnv} added to the
     * unit's environment: what the service manager gives its processes (a user manager's
     * XDG_RUNTIME_DIR, say).
     */
    public static ServiceUnit start(UnitFile unit, UnaryOperator<Path> here, List<String> prefix,
            Map<String, String> extraEnv, Path log) throws IOException {
        final ServiceUnit service = new ServiceUnit(unit, here, prefix, extraEnv, log);
        synchronized (service) {
            service.launch();
        }
        service.watcher.start();
        return service;
    }

    private void launch() throws IOException {
        final Map<String, String> env = new java.util.LinkedHashMap<>(extraEnv);
        env.putAll(unit.environment(here));
        final List<String> argv = new ArrayList<>(prefix);
        argv.addAll(asUser());
        for (String word : unit.command(env)) {
            argv.add(word.startsWith("/") ? here.apply(Path.of(word)).toString() : word);
        }
        final ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Files.writeString(log, "[started: " + String.join(" ", argv) + "]\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        command = List.copyOf(argv);
        process = pb.start();
        startTimes.addLast(System.nanoTime());
        starts++;
    }

    /** setpriv to the unit's user, group and groups when it names a user other than this process's. */
    private List<String> asUser() throws IOException {
        if (unit.user().isEmpty() || unit.user().equals(System.getProperty("user.name"))) {
            return List.of();
        }
        final List<String> groups = new ArrayList<>(
                List.of(UnitFile.output(List.of("id", "-G", unit.user())).strip().split(" ")));
        groups.addAll(unit.supplementaryGroups());
        final String group = unit.group().isEmpty()
                ? UnitFile.output(List.of("id", "-g", unit.user())).strip() : unit.group();
        return List.of("setpriv", "--reuid=" + unit.user(), "--regid=" + group, "--groups=" + String.join(",", groups),
                "--");
    }

    private void watch() {
        while (true) {
            final Process p = current();
            final int exit;
            try {
                exit = p.waitFor();
            } catch (InterruptedException e) {
                return;
            }
            final boolean again = unit.restart().equals("always")
                    || unit.restart().equals("on-failure") && !CLEAN_EXITS.contains(exit);
            synchronized (this) {
                ended = "exited with " + exit;
                if (closed || !again) {
                    return;
                }
            }
            try {
                Thread.sleep(unit.restartSec().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                final long now = System.nanoTime();
                while (!startTimes.isEmpty() && now - startTimes.peekFirst() > START_LIMIT_INTERVAL.toNanos()) {
                    startTimes.removeFirst();
                }
                if (closed || startTimes.size() >= START_LIMIT_BURST) {
                    ended += closed ? "" : ", and started " + START_LIMIT_BURST + " times in " + START_LIMIT_INTERVAL
                            + ": given up, as systemd does";
                    return;
                }
                try {
                    launch();
                } catch (IOException e) {
                    ended += ", and could not be started again: " + e.getMessage();
                    return;
                }
            }
        }
    }

    private synchronized Process current() {
        return process;
    }

    /** The pid of the process now running (the last one started). */
    public long pid() {
        return current().pid();
    }

    /** Whether the last process started still runs. */
    public boolean running() {
        return current().isAlive();
    }

    /** How many times the process was started, the first time included. */
    public synchronized int starts() {
        return starts;
    }

    /** The last command line started, prefix included. */
    public synchronized List<String> command() {
        return command;
    }

    /** What the unit's processes printed, each start marked, and how the last one ended, for failure messages. */
    public String output() {
        final String ending;
        synchronized (this) {
            ending = ended.isEmpty() ? "" : "[" + ended + "]\n";
        }
        try {
            return Files.readString(log, StandardCharsets.UTF_8) + ending;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops restarting it, sends SIGTERM (systemd's KillSignal) and kills it if it has not ended within 10 s. */
    @Override
    public void close() {
        final Process p;
        synchronized (this) {
            closed = true;
            p = process;
        }
        watcher.interrupt();
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            watcher.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        cancelExitKill.run();
    }
}
