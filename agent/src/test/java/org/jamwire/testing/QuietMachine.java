package org.jamwire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits, before a measurement that needs a quiet machine (audio at short periods, latency
 * figures), until the processors are mostly idle: what an earlier test left running (a JVM
 * finishing, a browser closing) is given time to go. It does not fail when the machine stays
 * busy: the judges count the xruns a busy machine causes, and this prints how busy it was. Test
 * thread.
 */
public final class QuietMachine {

    /** Busy share of all processors, over a sample, below which the machine counts as quiet. */
    private static final double QUIET = 0.5;
    private static final Duration SAMPLE = Duration.ofMillis(250);
    private static final Duration MOST = Duration.ofSeconds(20);

    private QuietMachine() {}

    /** Waits up to 20 s for a quarter second in which the processors were less than half busy. */
    public static void await() {
        final long start = System.nanoTime();
        double busy = 1;
        while (System.nanoTime() - start < MOST.toNanos()) {
            final long[] before = cpu();
            measureFor(SAMPLE);
            final long[] after = cpu();
            final long total = after[0] - before[0];
            busy = total <= 0 ? 0 : 1.0 - (double) (after[1] - before[1]) / total;
            if (busy < QUIET) {
                return;
            }
        }
        System.out.printf("QuietMachine: still %.0f %% busy after %d s; measuring anyway%n", busy * 100,
                MOST.toSeconds());
    }

    /** The interval a busy share is measured over. */
    private static void measureFor(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {all jiffies, idle and iowait jiffies} from the first line of /proc/stat. */
    private static long[] cpu() {
        try {
            final String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
