package org.jamwire.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jamwire.jack.JackBackend;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every test JVM does around its test classes (registered for all of them through
 * {@code META-INF/services} and {@code junit-platform.properties}).
 *
 * <ul>
 *   <li>After each class it checks that the class left nothing running behind it: no JACK client
 *       open in this JVM, and no child process alive once {@value #GRACE_SECONDS} s have passed.
 *       A class that does fails, naming what it left.
 *   <li>It ends the JVM without running native libraries' exit-time destructors, as {@code
 *       org.jamwire.app.JamWire} does: libjack's (jackd2 1.9.21) were seen to abort a JVM that had
 *       closed its clients cleanly, and in a test JVM that turns a passed class into a failed
 *       build ("Error occurred in starting fork"), after every test has been reported. Once the
 *       test runner has said goodbye and called {@code System.exit(0)}, the exit hook runs the
 *       clean-ups registered with {@link #atExit} and halts with status 0. Any other exit (a
 *       runner error, a probe's own {@code System.exit}) proceeds as usual.
 * </ul>
 */
public final class TestJvm implements BeforeAllCallback, AfterAllCallback {

    static final int GRACE_SECONDS = 10;

    private static final List<Runnable> AT_EXIT = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestJvm::exiting, "jamwire-test-exit"));
    }

    /** Runs {@code action} when this JVM exits; returns a handle that cancels it. */
    public static Runnable atExit(Runnable action) {
        synchronized (AT_EXIT) {
            AT_EXIT.add(action);
        }
        return () -> {
            synchronized (AT_EXIT) {
                AT_EXIT.remove(action);
            }
        };
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Loading this class installs the exit hook; nothing else to do before a class.
    }

    @Override
    public void afterAll(ExtensionContext context) {
        final String test = context.getRequiredTestClass().getSimpleName();
        final List<String> left = new ArrayList<>();
        final int clients = JackBackend.openClients();
        if (clients > 0) {
            left.add(clients + " JACK client(s) still open in this JVM");
        }
        final List<ProcessHandle> children = aliveChildren(Duration.ofSeconds(GRACE_SECONDS));
        if (!children.isEmpty()) {
            left.add(children.size() + " child process(es) still running " + GRACE_SECONDS + " s after the last"
                    + " test: " + children.stream().map(TestJvm::describe).collect(Collectors.joining("; ")));
            children.forEach(ProcessHandle::destroyForcibly);
        }
        if (!left.isEmpty()) {
            throw new AssertionError(test + " left behind: " + String.join(", and ", left)
                    + " (close them in the test, e.g. with try-with-resources)");
        }
    }

    private static List<ProcessHandle> aliveChildren(Duration grace) {
        final long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            final List<ProcessHandle> alive = ProcessHandle.current().descendants()
                    .filter(ProcessHandle::isAlive).collect(Collectors.toList());
            if (alive.isEmpty() || System.nanoTime() - deadline > 0) {
                return alive;
            }
            Deadlines.pause();
        }
    }

    private static String describe(ProcessHandle p) {
        final ProcessHandle.Info i = p.info();
        return "pid " + p.pid() + " " + i.commandLine().orElse(i.command().orElse("(command unknown)"));
    }

    private static void exiting() {
        final List<Runnable> actions;
        synchronized (AT_EXIT) {
            actions = new ArrayList<>(AT_EXIT);
        }
        for (final Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                System.err.println("test JVM exit: a clean-up failed: " + e);
            }
        }
        if (runnerExitsAfterGoodbye()) {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /** True when the thread that is exiting this JVM is the test runner's exit after all tests reported. */
    private static boolean runnerExitsAfterGoodbye() {
        for (final Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            boolean inExit = false;
            for (final StackTraceElement f : e.getValue()) {
                if (f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("exit")) {
                    inExit = true;
                } else if (inExit && f.getClassName().equals("java.lang.System") && f.getMethodName().equals("exit")) {
                    continue;
                } else if (inExit) {
                    return f.getClassName().equals("org.apache.maven.surefire.booter.ForkedBooter")
                            && f.getMethodName().equals("acknowledgedExit");
                }
            }
        }
        return false;
    }
}
