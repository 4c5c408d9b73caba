package org.jamwire.testing;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.time.Duration;

/**
 * A benchmark process that plays the test signal of {@link JackSignalClient} on one JACK server,
 * records the ports it is connected to, and judges what it recorded with {@link AudioJudge}: one
 * alignment at the start, then every period against the signal as the wire carries it. Run by the
 * scripts in {@code bench/}; {@link #main} is the process, and everything but the client's process
 * callback runs on its main thread.
 */
public final class GlitchProbe {

    private GlitchProbe() {}

    /**
     * Waits until the client has recorded {@code frames} frames, or until its frame count has not
     * moved for 5 seconds (JACK drops a client that misses its deadlines for too long), and says
     * so in the second case: what was recorded is judged all the same.
     */
    /** setpriority(2): on Linux, with who = 0, the nice value of the calling thread alone. */
    private static final class Libc {
        static final int PRIO_PROCESS = 0;

        static {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
        }

        static native int setpriority(int which, int who, int prio);
    }

    private static void awaitRecording(JackSignalClient client, long frames) {
        long last = client.frames();
        long lastMoved = System.nanoTime();
        while (client.frames() < frames) {
            if (client.frames() != last) {
                last = client.frames();
                lastMoved = System.nanoTime();
            } else if (System.nanoTime() - lastMoved > Duration.ofSeconds(5).toNanos()) {
                System.out.println("stalled: recorded " + last + " of " + frames + " frames");
                return;
            }
            Deadlines.pause();
        }
    }

    /**
     * The process: {@code server name outputs inputs rate period warmupSeconds seconds bits
     * [from>to ...]}. Plays the signal on {@code out_1..outputs}, records {@code in_1..inputs},
     * makes the connections once their ports exist, prints {@code ready}, and after warm-up and
     * the measured seconds (or once the recording has stalled, which it prints) prints one line
     * per input:
     * {@code channel C periods P glitches G bad B lost L events E shifted S delay FIRST LAST},
     * glitches being the periods heard wrong (bad, or dropped), and the delays in frames, then its
     * first events. Input {@code in_c} is judged against signal channel c at {@code bits} bits.
     */
    public static void main(String[] args) throws Exception {
        final String server = args[0];
        final int outputs = Integer.parseInt(args[2]);
        final int inputs = Integer.parseInt(args[3]);
        final int rate = Integer.parseInt(args[4]);
        final int period = Integer.parseInt(args[5]);
        final double warmup = Double.parseDouble(args[6]);
        final double seconds = Double.parseDouble(args[7]);
        final int bits = Integer.parseInt(args[8]);
        final int from = (int) Math.ceil(warmup * rate / period) * period;
        final int capacity = from + (int) Math.ceil(seconds * rate / period) * period;
        try (JackSignalClient client = JackSignalClient.open(server, args[1], outputs, inputs, capacity)) {
            for (int i = 9; i < args.length; i++) {
                final String[] pair = args[i].split(">", 2);
                JackServer.awaitPort(server, pair[0], Duration.ofSeconds(20));
                JackServer.awaitPort(server, pair[1], Duration.ofSeconds(20));
                client.connect(pair[0], pair[1]);
            }
            System.out.println("ready at frame " + client.frames());
            System.out.flush();
            awaitRecording(client, capacity);
            // The two probes of a run finish recording a moment apart, and a judge that re-aligns
            // after thousands of events keeps a core busy for minutes: at the lowest priority it
            // cannot make the other probe's end, still recording, miss its deadlines.
            Libc.setpriority(Libc.PRIO_PROCESS, 0, 19);
            for (int c = 1; c <= inputs; c++) {
                final AudioJudge.Judgement j = AudioJudge.of(client.recording(c), from, c, bits, period);
                System.out.printf("channel %d periods %d glitches %d bad %d lost %d events %d shifted %d delay %d %d%n",
                        c, j.periods(), j.glitches(), j.bad(), j.lost(), j.events().size(), j.shifts(), j.delay(),
                        j.last());
                for (int e = 0; e < Math.min(5, j.events().size()); e++) {
                    System.out.println("  channel " + c + " event " + j.events().get(e));
                }
            }
        }
        System.out.flush();
        // Halting skips libjack's exit-time destructors, which can abort a cleanly closed client
        // (see TestJvm); what it found is printed and its client closed by now.
        Runtime.getRuntime().halt(0);
    }
}
