package org.jamwire.control;

import java.util.List;

/**
 * One started link's figures gathered at one moment, for the live feed: the link as listed, its
 * counters, its meters and, for a hub server, its clients with theirs. Immutable.
 *
 * @param view the link without counters, clients or events
 * @param counters its counters, or a hub's own
 * @param meters its levels; null for a hub server
 * @param clients a hub server's clients with their counters and meters; null for any other link
 */
public record LinkFigures(LinkView view, CounterValues counters, Meters meters, List<HubClientView> clients) {

    static LinkFigures of(ManagedLink m) {
        if (m.hub() != null) {
            return new LinkFigures(LinkViews.of(m, false), LinkViews.hubCounters(m.hub()), null,
                    m.hub().clients().stream().map(k -> LinkViews.client(k, true)).toList());
        }
        return new LinkFigures(LinkViews.of(m, false), LinkViews.counters(m.link().stats()),
                Meters.of(m.link().sendLevels(), m.link().receiveLevels()), null);
    }
}
