package org.jamwire.testing;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link JackSignalClient} in a process of its own, for the JACK server a test's own JVM cannot
 * join (libjack serves one server per process). It plays the test signal, records, and writes the
 * recording to a file. {@link #start} runs it; {@link #main} is the process.
 */
public final class SignalProbe implements AutoCloseable {
    private static final String SOURCE = "jamwire.probe.source";
    private static final String SLOT = "jamwire.probe.slot";
    private static final String UNTIL = "jamwire.probe.until";
    private static final String LINGER = "jamwire.probe.linger";
    private static final Pattern AT_FRAME = Pattern.compile("(?m)^at frame (\\d+)$");
    /** How long after the test begins the turns they begin: a quarter of a second at 48 kHz. */
    private static final int LEAD = 12_000;

    private final Process process;
    private final Path file;
    private final StringBuffer output = new StringBuffer();

    private SignalProbe(Process process, Path file) {
        this.process = process;
        this.file = file;
        final Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                final byte[] b = new byte[1024];
                for (int n = in.read(b); n > 0; n = in.read(b)) {
                    output.append(new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                output.append(e);
            }
        }, "probe-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a probe on {@code server} named {@code name} with {@code outputs} signal ports and
     * {@code inputs} recording ports, connecting each pair {@code "from>to"} once its ports exist,
     * and recording {@code frames} frames.
     */
    public static SignalProbe start(String server, String name, int outputs, int inputs, int frames,
            List<String> connections) throws IOException {
        final Path file = Files.createTempFile("jamwire-probe-", ".f32");
        final List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SignalProbe.class.getName(),
                server, name, Integer.toString(outputs), Integer.toString(inputs), Integer.toString(frames),
                file.toString()));
        cmd.addAll(connections);
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final SignalProbe probe = new SignalProbe(p, file);
        TestJvm.atExit(p::destroyForcibly);
        return probe;
    }

    /**
     * A probe on {@code server} with one output and one input that plays source {@code source}'s
     * turn: from the frame {@link #beginTurns} returns, each source in turn (from 1) plays its
     * signal ({@link JackSignalClient#sample} of channel {@code source}) for {@code slotFrames}
     * frames, and silence before and after. It records until {@code untilFrames} after that frame,
     * or, with 0, until {@link #endTurns}; at most {@code frames} in all.
     */
    public static SignalProbe startTurns(String server, String name, int frames, int source, int slotFrames,
            int untilFrames, List<String> connections) throws IOException {
        final Path file = Files.createTempFile("jamwire-probe-", ".f32");
        final List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + SOURCE + "=" + source, "-D" + SLOT + "=" + slotFrames, "-D" + UNTIL + "=" + untilFrames,
                "-cp", System.getProperty("java.class.path"), SignalProbe.class.getName(),
                server, name, "1", "1", Integer.toString(frames), file.toString()));
        cmd.addAll(connections);
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final SignalProbe probe = new SignalProbe(p, file);
        TestJvm.atExit(p::destroyForcibly);
        return probe;
    }

    /** The frame a probe from {@link #startTurns} that records until told has come to. */
    public long frame() {
        final int asked = count(AT_FRAME);
        try {
            process.getOutputStream().write("frame\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the probe's frame: " + output, e);
        }
        Deadlines.await(Duration.ofSeconds(10), () -> count(AT_FRAME) > asked || !process.isAlive(),
                () -> "the probe's frame: " + output);
        final Matcher m = AT_FRAME.matcher(output);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        if (count(AT_FRAME) <= asked) {
            throw new AssertionError("the probe ended before it said its frame: " + output);
        }
        return last;
    }

    private int count(Pattern p) {
        final Matcher m = p.matcher(output);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Ends the recording of a probe from {@link #startTurns} that records until told. */
    public void endTurns() throws IOException {
        process.getOutputStream().write("end\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /**
     * Begins the turns of a probe from {@link #startTurns}, {@value #LEAD} frames from now.
     *
     * @return the probe's frame at which the first turn begins
     */
    public long beginTurns() throws IOException {
        return beginTurns(Long.MIN_VALUE);
    }

    /**
     * As {@link #beginTurns()}, the turns beginning at {@code atNanos} on {@link System#nanoTime()}'s
     * clock (the machine's monotonic clock, the same in every process): probes on several JACK
     * servers begin together however late each takes the command, as long as it is before then.
     */
    public long beginTurns(long atNanos) throws IOException {
        process.getOutputStream().write(("begin" + (atNanos == Long.MIN_VALUE ? "" : " " + atNanos) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        final Pattern begins = Pattern.compile("turns begin at frame (\\d+)");
        final long[] origin = {-1};
        Deadlines.await(Duration.ofSeconds(10), () -> {
            final Matcher m = begins.matcher(output);
            if (m.find()) {
                origin[0] = Long.parseLong(m.group(1));
            }
            return origin[0] >= 0 || !process.isAlive();
        }, () -> "the probe's turns to begin: " + output);
        if (origin[0] < 0) {
            throw new AssertionError("the probe ended before its turns began: " + output);
        }
        return origin[0];
    }

    /**
     * The same on another machine: {@code prefix} runs the probe there (e.g. on a lab machine, as
     * the user that runs its JACK server), with {@code classpath} readable by that user; it writes
     * the recording to {@code fileThere}, which this machine reads as {@code fileHere}.
     */
    public static SignalProbe startOn(List<String> prefix, String classpath, String fileThere, Path fileHere,
            String server, String name, int outputs, int inputs, int frames, List<String> connections)
            throws IOException {
        final List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
                "-cp", classpath, SignalProbe.class.getName(), server, name, Integer.toString(outputs),
                Integer.toString(inputs), Integer.toString(frames), fileThere));
        cmd.addAll(connections);
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final SignalProbe probe = new SignalProbe(p, fileHere);
        TestJvm.atExit(p::destroyForcibly);
        return probe;
    }

    /**
     * As {@link #startOn}, a probe that plays on once it has recorded, until {@link #endPlaying}:
     * two probes, each recording what the other plays, both record whole.
     */
    public static SignalProbe startOnLingering(List<String> prefix, String classpath, Path file, String server,
            String name, int outputs, int inputs, int frames, List<String> connections) throws IOException {
        final List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
                "-D" + LINGER + "=true", "-cp", classpath, SignalProbe.class.getName(), server, name,
                Integer.toString(outputs), Integer.toString(inputs), Integer.toString(frames), file.toString()));
        cmd.addAll(connections);
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final SignalProbe probe = new SignalProbe(p, file);
        TestJvm.atExit(p::destroyForcibly);
        return probe;
    }

    /** Waits until a lingering probe has written its recording, and plays on. */
    public void awaitRecorded(Duration timeout) {
        Deadlines.await(timeout, () -> output.indexOf("recorded") >= 0 || !process.isAlive(),
                () -> "signal probe recorded: " + output);
        if (output.indexOf("recorded") < 0) {
            throw new AssertionError("signal probe failed: " + output);
        }
    }

    /**
     * The xruns the server reported to a lingering probe from its start until it recorded, and the
     * periods it saw begin more than half a period late (as it said once it had): on a PipeWire
     * graph, what its xruns and stalls cost (see {@link JackSignalClient#stalls}).
     */
    public long xrunsWhileRecording() {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("recorded, xruns ([0-9]+), stalls ([0-9]+)")
                .matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("the probe has not said it recorded: " + output);
        }
        return Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
    }

    /** Ends a lingering probe's playing; {@link #recording} then reads what it recorded. */
    public void endPlaying() throws IOException {
        process.getOutputStream().write("end\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Waits until the probe is playing and its connections are made. */
    public void awaitReady(Duration timeout) {
        Deadlines.await(timeout, () -> output.indexOf("ready") >= 0 || !process.isAlive(),
                () -> "signal probe ready: " + output);
        if (output.indexOf("ready") < 0) {
            throw new AssertionError("signal probe failed: " + output);
        }
    }

    /** Waits for the recording and returns it, one array per input channel. */
    public float[][] recording(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
            throw new AssertionError("signal probe did not finish: " + output);
        }
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        final int channels = b.getInt();
        final int frames = b.getInt();
        final float[][] r = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                r[c][i] = b.getFloat();
            }
        }
        Files.deleteIfExists(file);
        return r;
    }

    /** What the probe printed. */
    public String output() {
        return output.toString();
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(file);
    }

    /** One source's turn, from the frame the test begins the turns at. */
    private static final class Turn {
        private final int source;
        private final int slot;
        private volatile long origin = Long.MAX_VALUE;

        Turn(int source, int slot) {
            this.source = source;
            this.slot = slot;
        }

        float sample(long frame) {
            final long since = frame - origin;
            return since >= 0 && since / slot == source - 1 ? JackSignalClient.sample(source, frame) : 0f;
        }
    }

    /**
     * The probe process: {@code server name outputs inputs frames file [from>to ...]}, playing a
     * source's turn when started by {@link #startTurns}.
     */
    public static void main(String[] args) throws Exception {
        final int outputs = Integer.parseInt(args[2]);
        final int inputs = Integer.parseInt(args[3]);
        final int frames = Integer.parseInt(args[4]);
        final String source = System.getProperty(SOURCE);
        final Turn turn = source == null ? null : new Turn(Integer.parseInt(source),
                Integer.parseInt(System.getProperty(SLOT)));
        try (JackSignalClient client = turn == null ? JackSignalClient.open(args[0], args[1], outputs, inputs, frames)
                : JackSignalClient.open(args[0], args[1], outputs, inputs, frames, (c, f) -> turn.sample(f))) {
            for (int i = 6; i < args.length; i++) {
                final String[] pair = args[i].split(">", 2);
                JackServer.awaitPort(args[0], pair[0], Duration.ofSeconds(15));
                JackServer.awaitPort(args[0], pair[1], Duration.ofSeconds(15));
                client.connect(pair[0], pair[1]);
            }
            final long startFrame = client.frames();
            System.out.println("ready at frame " + startFrame);
            System.out.flush();
            int recorded = frames;
            if (turn != null) {
                final BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.UTF_8));
                final String begin = in.readLine();
                if (begin != null && begin.startsWith("begin")) {
                    final String[] words = begin.split(" ");
                    // At the time asked for, on the machine's monotonic clock; else a lead from now.
                    turn.origin = client.frames() + (words.length < 2 ? LEAD : Math.max(LEAD / 4,
                            (Long.parseLong(words[1]) - System.nanoTime()) * client.sampleRate() / 1_000_000_000L));
                    System.out.println("turns begin at frame " + turn.origin);
                    System.out.flush();
                    final int until = Integer.getInteger(UNTIL, 0);
                    if (until > 0) {
                        recorded = (int) Math.min(frames, turn.origin + until);
                    } else {
                        for (String line = in.readLine(); line != null && !line.equals("end"); line = in.readLine()) {
                            System.out.println("at frame " + client.frames());
                            System.out.flush();
                        }
                        recorded = (int) Math.min(frames, client.frames());
                    }
                }
            }
            client.awaitFrames(recorded, Duration.ofSeconds(120));
            if (Boolean.getBoolean(LINGER)) {
                // Plays on until told to end, and only then writes what it recorded: a probe that
                // records another end's signal must not hear this one fall silent, or stall (its
                // process thread waits on a collection), before it is through.
                System.out.println("recorded, xruns " + client.xruns() + ", stalls " + client.stalls());
                System.out.flush();
                final BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null && !line.equals("end"); line = in.readLine()) {
                    // Nothing else is asked of it.
                }
            }
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[5])))) {
                final ByteBuffer b = ByteBuffer.allocate(8 + 4 * inputs * recorded).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(inputs).putInt(recorded);
                for (int c = 1; c <= inputs; c++) {
                    final float[] r = client.recording(c);
                    for (int i = 0; i < recorded; i++) {
                        b.putFloat(r[i]);
                    }
                }
                out.write(b.array(), 0, b.position());
            }
            System.out.println("done");
        }
        System.out.flush();
        // Halting skips libjack's exit-time destructors, which can abort a cleanly closed client
        // (see TestJvm); the recording is written and the client closed by now.
        Runtime.getRuntime().halt(0);
    }
}
