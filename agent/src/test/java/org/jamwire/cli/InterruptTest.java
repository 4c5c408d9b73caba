package org.jamwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jamwire.options.ExitCode;
import org.junit.jupiter.api.Test;

/** Ctrl-C ends the process even when what it stops hangs. */
class InterruptTest {

    /** A command whose stop never returns. */
    public static final class Hangs {
        public static void main(String[] args) throws Exception {
            final Interrupt interrupt = Interrupt.install(Hangs::neverReturns);
            System.out.println("ready");
            System.out.flush();
            interrupt.await(60, TimeUnit.SECONDS);
            interrupt.done();
        }

        static void neverReturns() {
            while (true) {
                LockSupport.park();
            }
        }
    }

    @Test
    void a_stop_that_hangs_is_reported_and_the_process_exits_130() throws Exception {
        // SIGINT at its default, whatever this JVM inherited (see Program).
        final Process p = new ProcessBuilder(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Hangs.class.getName()))
                .redirectErrorStream(true).start();
        try {
            final BufferedReader out = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(Interrupt.STOP_SECONDS + 10, TimeUnit.SECONDS), "still running after Ctrl-C");
            final StringBuilder rest = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            assertEquals(ExitCode.INTERRUPTED, p.exitValue(), rest.toString());
            assertTrue(rest.toString().contains("did not stop within " + Interrupt.STOP_SECONDS + " s; exiting anyway"),
                    rest.toString());
            assertTrue(rest.toString().contains("neverReturns"), "names where it hung: " + rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
