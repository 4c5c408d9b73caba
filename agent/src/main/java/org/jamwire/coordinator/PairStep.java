package org.jamwire.coordinator;

import java.util.Map;

/**
 * One step of starting a pair. {@link PairJob} runs its steps in order on the pair's control
 * thread, showing each one's name as its text and what it returns as its detail; the first that
 * throws ends the start, its message the step's failure.
 */
interface PairStep {

    /** The step's text, as the user sees it. */
    String name();

    /**
     * Does the step.
     *
     * @return what happened, for the step's detail
     * @throws Exception whose message says why it failed and how to fix it
     */
    String run(Request request, PairEnds ends) throws Exception;

    /**
     * What the start was asked for.
     *
     * @param lab the peers
     * @param ask what the client end asks for, for the pre-flight
     * @param options the link's options for the client end, as for POST /api/links
     * @param local starts the client here, when it is here
     */
    record Request(Lab lab, PairJob.Ask ask, Map<String, Object> options, PairJob.LocalEnd local) {
    }

    /** The step found that the pair cannot start; the message says why and how to fix it. */
    final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
