package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jamwire.web.FeedSnapshot.Owed;
import org.junit.jupiter.api.Test;

/** A tick's snapshot: what a socket is owed, worked out and written once for all sockets that last had the same. */
class FeedSnapshotTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Object> jack = Map.of("state", "running");
    private final FeedSnapshot snapshot = FeedSnapshot.of(json, List.of(), jack);
    private final AtomicInteger written = new AtomicInteger();
    private final Supplier<Object> message = () -> {
        written.incrementAndGet();
        return Map.of("type", "jack", "jack", jack);
    };

    @Test
    void sockets_that_last_had_the_same_figures_share_one_written_message() throws Exception {
        final Object before = Map.of("state", "stopped");
        final Owed first = snapshot.owedIfChanged("jack", before, () -> snapshot.jack, message);
        final Owed second = snapshot.owedIfChanged("jack", before, () -> snapshot.jack, message);
        assertSame(first, second);
        assertEquals(1, written.get());
        assertSame(jack, first.after());
        assertEquals(json.readTree("{\"type\": \"jack\", \"jack\": {\"state\": \"running\"}}"),
                json.readTree(first.message()));
    }

    @Test
    void a_socket_that_last_had_other_figures_works_out_its_own() {
        final Owed first = snapshot.owedIfChanged("jack", Map.of("state", "stopped"), () -> snapshot.jack, message);
        final Owed other = snapshot.owedIfChanged("jack", null, () -> snapshot.jack, message);
        assertNotSame(first, other);
        assertNull(other.before());
        assertNotNull(other.message());
        assertEquals(2, written.get());
    }

    @Test
    void figures_equal_to_the_last_sent_owe_nothing_and_the_socket_keeps_what_it_has() {
        final Object before = new HashMap<>(jack);
        final Owed o = snapshot.owedIfChanged("jack", before, () -> snapshot.jack, message);
        assertNull(o.message());
        assertSame(before, o.after());
        assertEquals(0, written.get());
    }

    @Test
    void changed_holds_only_the_values_that_differ_and_everything_at_first() {
        final Map<String, Object> last = new LinkedHashMap<>();
        last.put("pkts_in", 1);
        last.put("lost", 0);
        final Map<String, Object> now = new LinkedHashMap<>();
        now.put("pkts_in", 2);
        now.put("lost", 0);
        assertEquals(Map.of("pkts_in", 2), LinkTopics.changed(last, now));
        assertEquals(now, LinkTopics.changed(null, now));
    }
}
