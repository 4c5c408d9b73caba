package org.jamwire.audio.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jamwire.audio.AudioSpec;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.Test;

class BuiltinSessionTest {

    @Test
    void a_processor_that_throws_is_counted_and_its_periods_play_silence() throws Exception {
        final BuiltinBackend backend = new BuiltinBackend(48_000, 128, 48_000, TestSignal.Kind.SILENCE);
        final int[] calls = new int[1];
        final BuiltinSession session = backend.open(new AudioSpec("failing", 1, 1, false), (in, out, n) -> {
            java.util.Arrays.fill(out[0], 0, n, 1f);
            if (++calls[0] % 3 == 0) {
                throw new IllegalStateException("period " + calls[0]);
            }
        });
        try {
            final Recording recording = session.record(12 * 128);
            session.start();
            assertTrue(recording.await(10, java.util.concurrent.TimeUnit.SECONDS), "12 periods recorded");
            final float[] played = recording.channel(0);
            int silent = 0;
            for (int p = 0; p < 12; p++) {
                final float first = played[p * 128];
                for (int f = 0; f < 128; f++) {
                    assertEquals(first, played[p * 128 + f], "period " + p + " frame " + f + " is all one or all silence");
                }
                silent += first == 0f ? 1 : 0;
            }
            assertEquals(4, silent, "silent periods among 12, every third of which threw");
            Deadlines.await(Duration.ofSeconds(10), () -> session.periods() >= 30, () -> "30 periods, not "
                    + session.periods());
            final long periods = session.periods();
            final long failures = session.processorFailures();
            assertTrue(failures >= periods / 3 - 1 && failures <= periods / 3 + 1,
                    failures + " failures in " + periods + " periods, every third of which threw");
            assertTrue(String.valueOf(session.lastProcessorFailure()).contains("IllegalStateException: period "),
                    "last failure: " + session.lastProcessorFailure());
            assertTrue(session.isAlive(), "the clock thread lives on after its processor threw");
            Deadlines.await(Duration.ofSeconds(5), () -> session.periods() > periods + 10,
                    () -> "periods go on after failures");
        } finally {
            session.close();
        }
    }
}
