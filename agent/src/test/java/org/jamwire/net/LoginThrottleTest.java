package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void three_failures_are_free_then_each_doubles_the_wait_up_to_a_minute() throws Exception {
        final LoginThrottle t = new LoginThrottle();
        final InetAddress a = InetAddress.getByName("192.0.2.1");
        long now = 1_000 * S;
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(0, t.waitSeconds(a, now));
            t.failed(a, now);
        }
        assertEquals(1, t.waitSeconds(a, now));
        assertEquals(0, t.waitSeconds(a, now + S));
        t.failed(a, now += S);
        assertEquals(2, t.waitSeconds(a, now));
        for (int i = 0; i < 20; i++) {
            t.failed(a, now);
        }
        assertEquals(LoginThrottle.MAX_WAIT_SECONDS, t.waitSeconds(a, now));
        assertEquals(0, t.waitSeconds(a, now + LoginThrottle.MAX_WAIT_SECONDS * S));
        // Another address is not held up by it.
        assertEquals(0, t.waitSeconds(InetAddress.getByName("192.0.2.2"), now));
    }

    @Test
    void a_success_or_ten_quiet_minutes_start_afresh() throws Exception {
        final LoginThrottle t = new LoginThrottle();
        final InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 10; i++) {
            t.failed(a, 0);
        }
        t.succeeded(a);
        assertEquals(0, t.waitSeconds(a, 0));
        for (int i = 0; i < 10; i++) {
            t.failed(a, 0);
        }
        assertEquals(0, t.waitSeconds(a, (LoginThrottle.FORGET_SECONDS + 1) * S));
        t.failed(a, (LoginThrottle.FORGET_SECONDS + 1) * S);
        assertEquals(0, t.waitSeconds(a, (LoginThrottle.FORGET_SECONDS + 1) * S), "one failure after forgetting is free");
    }

    @Test
    void holds_a_bounded_number_of_addresses() throws Exception {
        final LoginThrottle t = new LoginThrottle();
        final InetAddress first = InetAddress.getByName("10.0.0.0");
        for (int i = 0; i < 5; i++) {
            t.failed(first, 0);
        }
        for (int i = 1; i <= LoginThrottle.MAX_ADDRESSES; i++) {
            t.failed(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), i);
        }
        // The stalest, the first, made room.
        assertEquals(0, t.waitSeconds(first, 0));
    }
}
