package org.jamwire.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code jacktrip} 1.7 run with {@code -I 1} counted on its receiving side, from the last
 * statistics line it printed ({@code recv: UNDERRUNS/OVERFLOWS ... sync: LEVEL/INC_UNDERRUN/
 * INC_COMPENSATE/DEC_OVERFLOW/DEC_PKT_LOSS}, cumulative): every time its jitter buffer played
 * silence or dropped or moved its audio. A test judging what jacktrip plays counts these as
 * causes, as it counts a JamWire end's counters. Test thread.
 */
public final class JacktripStats {

    private static final Pattern LINE = Pattern.compile(
            "recv: (\\d+)/(\\d+) .*sync: \\d+/(\\d+)/(\\d+)/(\\d+)/(\\d+)");

    private JacktripStats() {}

    /** Statistics lines in {@code output} so far. */
    public static int lines(String output) {
        final Matcher m = LINE.matcher(output);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Waits for the next statistics line of {@code program} (they come once a second), so that
     * what it counts covers everything up to now.
     */
    public static void awaitNext(Program program) {
        awaitNext(program, () -> "");
    }

    /** As {@link #awaitNext(Program)}, with {@code context} (the other programs' output) in the failure. */
    public static void awaitNext(Program program, java.util.function.Supplier<String> context) {
        final int seen = lines(program.output());
        Deadlines.await(java.time.Duration.ofSeconds(5), () -> lines(program.output()) > seen,
                () -> "a statistics line from jacktrip (-I 1): " + program.output() + context.get());
    }

    /** The last statistics line in {@code output} (each begins with its time), or "" if there is none. */
    public static String lastLine(String output) {
        final Matcher m = LINE.matcher(output);
        int at = -1;
        while (m.find()) {
            at = m.start();
        }
        if (at < 0) {
            return "";
        }
        final int begin = output.lastIndexOf('\n', at) + 1;
        final int end = output.indexOf('\n', at);
        return output.substring(begin, end < 0 ? output.length() : end).strip();
    }

    /** The receive events of the last statistics line in {@code output}, or 0 if there is none. */
    public static long receiveEvents(String output) {
        final Matcher m = LINE.matcher(output);
        long events = 0;
        while (m.find()) {
            events = 0;
            for (int g = 1; g <= 6; g++) {
                events += Long.parseLong(m.group(g));
            }
        }
        return events;
    }
}
