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
 * @param jamwirePath where {@code jamwire} is on the ssh user's PATH, or null when it is not there
 * @param jackService the JACK service's settings from {@value JackSettings#FILE} in the ssh user's
 *     home, or null when there is no such file (no JACK service was provisioned for that user)
 * @param pipeWire the clock settings of the PipeWire daemon the ssh user's session reaches, or null
 *     when none answers; when one does, JACK programs there run on PipeWire's graph, whose rate and
 *     quantum are {@link #sampleRate} and {@link #bufferSize}
 */
public record PeerReport(String os, String jackServer, boolean jackRunning, int sampleRate, int bufferSize,
        int periods, long xruns, String jamwireVersion, String jacktripVersion, boolean agentRunning,
        List<Integer> freePorts, List<String> notes, String jamwirePath, JackSettings jackService,
        PipeWireSettings pipeWire) {

    /** Copies the lists. */
    public PeerReport {
        freePorts = List.copyOf(freePorts);
        notes = List.copyOf(notes);
    }

    /** A report of a machine without PipeWire. */
    public PeerReport(String os, String jackServer, boolean jackRunning, int sampleRate, int bufferSize,
            int periods, long xruns, String jamwireVersion, String jacktripVersion, boolean agentRunning,
            List<Integer> freePorts, List<String> notes, String jamwirePath, JackSettings jackService) {
        this(os, jackServer, jackRunning, sampleRate, bufferSize, periods, xruns, jamwireVersion, jacktripVersion,
                agentRunning, freePorts, notes, jamwirePath, jackService, null);
    }

    /** Whether PipeWire serves JACK programs there. */
    public boolean onPipeWire() {
        return pipeWire != null;
    }

    /** A report that says nothing of where jamwire is or of a JACK service. */
    public PeerReport(String os, String jackServer, boolean jackRunning, int sampleRate, int bufferSize,
            int periods, long xruns, String jamwireVersion, String jacktripVersion, boolean agentRunning,
            List<Integer> freePorts, List<String> notes) {
        this(os, jackServer, jackRunning, sampleRate, bufferSize, periods, xruns, jamwireVersion, jacktripVersion,
                agentRunning, freePorts, notes, null, null);
    }
}
