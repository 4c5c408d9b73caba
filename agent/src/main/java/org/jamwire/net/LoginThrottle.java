package org.jamwire.net;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Slows password guessing per source address: after {@link #FREE_FAILURES} failed logins, an
 * address must wait before its next try, twice as long after each further failure, up to
 * {@link #MAX_WAIT_SECONDS}; a try inside the wait is refused without its password being checked.
 * An address is forgotten {@link #FORGET_SECONDS} after its last failure, and a login that succeeds
 * clears it. Holds at most {@link #MAX_ADDRESSES} addresses, dropping the stalest first. One
 * thread (the hub's handshake thread); times are {@link System#nanoTime()}.
 */
final class LoginThrottle {

    /** Failed logins an address may make before it has to wait. */
    static final int FREE_FAILURES = 3;
    /** The longest wait between two tries. */
    static final long MAX_WAIT_SECONDS = 60;
    /** An address with no failure for this long starts afresh. */
    static final long FORGET_SECONDS = 600;
    static final int MAX_ADDRESSES = 4096;

    private static final class Record {
        int failures;
        long lastFailure;
    }

    private final Map<InetAddress, Record> records = new HashMap<>();

    /** Seconds {@code from} must still wait before it may try, or 0 when it may try now. */
    long waitSeconds(InetAddress from, long now) {
        final Record r = records.get(from);
        if (r == null || r.failures < FREE_FAILURES) {
            return 0;
        }
        final long since = now - r.lastFailure;
        if (since > TimeUnit.SECONDS.toNanos(FORGET_SECONDS)) {
            records.remove(from);
            return 0;
        }
        final long wait = TimeUnit.SECONDS.toNanos(waitAfter(r.failures));
        return since >= wait ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait - since + 999_999_999L));
    }

    /** The wait, in seconds, that {@code failures} failed logins earn: 1, 2, 4 ... up to the maximum. */
    static long waitAfter(int failures) {
        final int over = failures - FREE_FAILURES;
        return over < 0 ? 0 : Math.min(MAX_WAIT_SECONDS, 1L << Math.min(over, 30));
    }

    /** Records a failed login from {@code from}; returns how many it has made in a row. */
    int failed(InetAddress from, long now) {
        Record r = records.get(from);
        if (r == null) {
            if (records.size() >= MAX_ADDRESSES) {
                dropStalest();
            }
            r = new Record();
            records.put(from, r);
        }
        r.failures++;
        r.lastFailure = now;
        return r.failures;
    }

    /** A login from {@code from} succeeded: it starts afresh. */
    void succeeded(InetAddress from) {
        records.remove(from);
    }

    private void dropStalest() {
        InetAddress stalest = null;
        long oldest = Long.MAX_VALUE;
        for (Iterator<Map.Entry<InetAddress, Record>> it = records.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<InetAddress, Record> e = it.next();
            if (stalest == null || e.getValue().lastFailure - oldest < 0) {
                stalest = e.getKey();
                oldest = e.getValue().lastFailure;
            }
        }
        records.remove(stalest);
    }
}
