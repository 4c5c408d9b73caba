package org.jamwire.coordinator;

import java.time.Duration;

/**
 * A pair's step "wait until it listens": the client starts only once the server waits for it.
 * Pair's control thread.
 */
final class ListenStep implements PairStep {
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "wait until it listens";
    }

    @Override
    public String run(Request request, PairEnds ends) throws Refused {
        final String listening = ends.serverEnd.awaitListening(ends.program, LISTEN_TIMEOUT);
        if (listening != null) {
            throw new Refused(ends.program + " on " + ends.server.peer().name() + " did not start listening"
                    + listening);
        }
        return "listening on UDP port " + ends.serverPort() + " of " + ends.server.peer().name();
    }
}
