package org.jamwire.cli;

import org.jamwire.control.LinkTests;

/** A link test's figures as the command line prints them. */
final class LinkTestReport {

    private LinkTestReport() {
    }

    static String text(LinkTests.Result r) {
        if (r.received() == 0) {
            return "linktest: nothing came back from " + r.sent() + " datagrams: is 'jamwire linktest --echo' running"
                    + " there, and does the firewall let UDP through both ways?";
        }
        return String.format("sent %d, back %d, lost %.2f%%%n"
                + "round trip: fastest %.2f ms, median %.2f ms, 99th percentile %.2f ms; jitter %.2f ms%n"
                + "recommended: -q %d, -b %d (queue and redundancy for this path)",
                r.sent(), r.received(), r.lossPercent(), r.rttMinMs(), r.rttMedianMs(), r.rtt99Ms(), r.jitterMs(),
                r.recommendedQueue(), r.recommendedRedundancy());
    }
}
