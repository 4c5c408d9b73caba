package org.jamwire.jack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import org.jamwire.audio.AudioSpec;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class JackShutdownTest {

    @Test
    void session_is_dead_within_a_second_after_jackd_is_killed() throws Exception {
        try (JackServer server = JackServer.start(48_000, 256);
                JackSession session = new JackBackend(server.name())
                        .open(new AudioSpec("doomed", 1, 1, false), (inputs, outputs, frames) -> {})) {
            session.start();
            Deadlines.await(Duration.ofSeconds(10), () -> session.periods() > 10, () -> "no periods delivered");

            final long killed = System.nanoTime();
            server.kill();

            Deadlines.await(Duration.ofSeconds(1).minusNanos(System.nanoTime() - killed), () -> !session.isAlive(),
                    () -> "session still alive");
            assertFalse(session.isAlive());
            assertNotNull(session.shutdownReason());
            System.out.printf("isAlive() false within %.1f ms of SIGKILL: %s%n",
                    (System.nanoTime() - killed) / 1e6, session.shutdownReason());
        }
    }
}
