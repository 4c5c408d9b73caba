package org.jamwire.engine;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A link's counters. Each counter has exactly one writing thread (the JACK thread or the packet
 * loop), so writes are plain ordered stores with no read-modify-write contention and no
 * allocation; any thread may read.
 */
public final class Counters {

    private static final LinkCounter[] ALL = LinkCounter.values();
    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    /** Adds one. Only the counter's owning thread may call this. */
    public void increment(LinkCounter c) {
        final int i = c.ordinal();
        values.lazySet(i, values.get(i) + 1);
    }

    /** Adds {@code n}. Only the counter's owning thread may call this. */
    public void add(LinkCounter c, long n) {
        final int i = c.ordinal();
        values.lazySet(i, values.get(i) + n);
    }

    /** Sets a level. Only the counter's owning thread may call this. */
    public void set(LinkCounter c, long v) {
        values.lazySet(c.ordinal(), v);
    }

    /** The current value. */
    public long get(LinkCounter c) {
        return values.get(c.ordinal());
    }

    /** A copy of every counter, for the control thread. */
    public Map<LinkCounter, Long> snapshot() {
        final Map<LinkCounter, Long> m = new EnumMap<>(LinkCounter.class);
        for (LinkCounter c : ALL) {
            m.put(c, values.get(c.ordinal()));
        }
        return m;
    }
}
