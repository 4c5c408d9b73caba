package org.jamwire.control;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands the agent's events to whoever listens (the live feed). Listeners run on the thread that
 * publishes, so they must only queue the event; one that throws is skipped, not removed.
 */
public final class EventBus {

    private final List<Consumer<AgentEvent>> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener. */
    public void listen(Consumer<AgentEvent> listener) {
        listeners.add(listener);
    }

    /** Tells every listener. */
    public void publish(AgentEvent event) {
        for (Consumer<AgentEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                // A listener's failure must not stop the others or the publisher.
            }
        }
    }
}
