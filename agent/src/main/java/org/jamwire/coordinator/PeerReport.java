package org.jamwire.coordinator;

import java.util.List;

/**
 * What a probe found on a peer. Numbers are 0 and strings null where nothing could be learnt;
 * {@link #notes()} says why. Immutable.
 *
 * @param os the kernel and machine ({@code uname -srm})
 * @param jackServer the JACK server probed
 * @param jackRunning whether it runs
 * @param sampleRate its rate in Hz
 * @param bufferSize its period in frames
 * @param periods its periods per buffer (jackd -n), or 0 when not known
 * @param xruns its xruns as the peer's agent counted them, or -1 when no agent runs
 * @param jamwireVersion {@code jamwire --version}'s answer, or null when not installed
 * @param jacktripVersion jacktrip's version, e.g. {@code 1.7.0}, or null when not installed
 * @param agentRunning whether a JamWire agent answered through the tunnel
 * @param freePorts the link ports 4464, 4474, 4484 and 4494 that no UDP socket holds
 * @param notes what could not be learnt, and why
 */
public record PeerReport(String os, String jackServer, boolean jackRunning, int sampleRate, int bufferSize,
        int periods, long xruns, String jamwireVersion, String jacktripVersion, boolean agentRunning,
        List<Integer> freePorts, List<String> notes) {

    /** Copies the lists. */
    public PeerReport {
        freePorts = List.copyOf(freePorts);
        notes = List.copyOf(notes);
    }
}
