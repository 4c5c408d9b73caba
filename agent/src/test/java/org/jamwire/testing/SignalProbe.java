package org.jamwire.testing;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link JackSignalClient} in a process of its own, for the JACK server a test's own JVM cannot
 * join (libjack serves one server per process). It plays the test signal, records, and writes the
 * recording to a file. {@link #start} runs it; {@link #main} is the process.
 */
public final class SignalProbe implements AutoCloseable {

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

    /** The probe process: {@code server name outputs inputs frames file [from>to ...]}. */
    public static void main(String[] args) throws Exception {
        final int outputs = Integer.parseInt(args[2]);
        final int inputs = Integer.parseInt(args[3]);
        final int frames = Integer.parseInt(args[4]);
        try (JackSignalClient client = JackSignalClient.open(args[0], args[1], outputs, inputs, frames)) {
            for (int i = 6; i < args.length; i++) {
                final String[] pair = args[i].split(">", 2);
                JackServer.awaitPort(args[0], pair[0], Duration.ofSeconds(15));
                JackServer.awaitPort(args[0], pair[1], Duration.ofSeconds(15));
                client.connect(pair[0], pair[1]);
            }
            final long startFrame = client.frames();
            System.out.println("ready at frame " + startFrame);
            System.out.flush();
            client.awaitFrames(frames, Duration.ofSeconds(120));
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[5])))) {
                final ByteBuffer b = ByteBuffer.allocate(8 + 4 * inputs * frames).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(inputs).putInt(frames);
                for (int c = 1; c <= inputs; c++) {
                    for (float v : client.recording(c)) {
                        b.putFloat(v);
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
