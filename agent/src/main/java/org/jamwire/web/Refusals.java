package org.jamwire.web;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Requests refused, by error word: counted, not logged. Counted on Jetty's threads, read on any. */
final class Refusals implements Consumer<String> {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Counts one refusal answered with {@code word}. */
    @Override
    public void accept(String word) {
        counts.computeIfAbsent(word, k -> new AtomicLong()).incrementAndGet();
    }

    /** The counts so far, by word in order. */
    Map<String, Long> counts() {
        final Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
