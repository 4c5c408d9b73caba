package org.jamwire.control;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jamwire.engine.LinkCounter;

/**
 * A link's or a hub's counters at one moment, by label, in their declared order, with the figures
 * derived from them. A label ends in its unit where it has one ({@code level_frames},
 * {@code queue_ms}); one without is a count. Immutable.
 *
 * @param values every counter by label
 */
public record CounterValues(Map<String, Number> values) {

    /**
     * What a counter means.
     *
     * @param label its label in {@link #values()}
     * @param meaning one sentence
     */
    public record Meaning(String label, String meaning) {
    }

    /** The meaning of every link counter, in their declared order. */
    public static List<Meaning> meanings() {
        return Arrays.stream(LinkCounter.values()).map(c -> new Meaning(c.label(), c.meaning())).toList();
    }

    /** A counter's value, or 0 when there is none by that label. */
    public long get(String label) {
        final Number v = values.get(label);
        return v == null ? 0 : v.longValue();
    }
}
