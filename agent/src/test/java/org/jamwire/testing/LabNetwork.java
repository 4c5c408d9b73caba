package org.jamwire.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Two lab hosts on one machine: network namespaces joined by a veth pair, each with its own
 * address, so that both ends of a link can bind the same port as on two real machines. Needs root
 * (CI runs as root); outside CI, tests using it are skipped with a message saying so. Test thread.
 */
public final class LabNetwork implements AutoCloseable {

    private static final String SUBNET = "10.203.%d.%d";

    private final String hostA;
    private final String hostB;
    private final String addressA;
    private final String addressB;

    private LabNetwork(String tag, int subnet) {
        hostA = "jwa" + tag;
        hostB = "jwb" + tag;
        addressA = String.format(SUBNET, subnet, 1);
        addressB = String.format(SUBNET, subnet, 2);
    }

    /** Creates the two hosts, or skips the calling test when this is not root outside CI. */
    public static LabNetwork create() throws IOException, InterruptedException {
        final boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && System.getenv("CI") == null) {
            Assumptions.abort("needs root to create network namespaces (ip netns); CI runs it as root");
        }
        final long pid = ProcessHandle.current().pid();
        final LabNetwork n = new LabNetwork(Long.toString(pid % 100_000), (int) (pid % 200) + 20);
        n.setUp();
        return n;
    }

    private void setUp() throws IOException, InterruptedException {
        close();
        final String vethA = "v" + hostA;
        final String vethB = "v" + hostB;
        ip("netns", "add", hostA);
        ip("netns", "add", hostB);
        ip("link", "add", vethA, "type", "veth", "peer", "name", vethB);
        ip("link", "set", vethA, "netns", hostA);
        ip("link", "set", vethB, "netns", hostB);
        ip("-n", hostA, "addr", "add", addressA + "/24", "dev", vethA);
        ip("-n", hostB, "addr", "add", addressB + "/24", "dev", vethB);
        for (String[] h : new String[][] {{hostA, vethA}, {hostB, vethB}}) {
            ip("-n", h[0], "link", "set", "lo", "up");
            ip("-n", h[0], "link", "set", h[1], "up");
        }
    }

    /** Host A's address. */
    public String addressA() {
        return addressA;
    }

    /** Host B's address. */
    public String addressB() {
        return addressB;
    }

    /** {@code command} prefixed to run on host A. */
    public List<String> onA(List<String> command) {
        return in(hostA, command);
    }

    /** {@code command} prefixed to run on host B. */
    public List<String> onB(List<String> command) {
        return in(hostB, command);
    }

    private static List<String> in(String ns, List<String> command) {
        final List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(command);
        return c;
    }

    @Override
    public void close() throws IOException {
        for (String ns : List.of(hostA, hostB)) {
            try {
                run(List.of("ip", "netns", "del", ns), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted removing " + ns, e);
            }
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        final List<String> c = new ArrayList<>(List.of("ip"));
        c.addAll(List.of(args));
        run(c, true);
    }

    private static void run(List<String> command, boolean check) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " hung");
        }
        if (check && p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
