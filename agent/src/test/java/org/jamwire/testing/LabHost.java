package org.jamwire.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * One lab host beside this machine: a network namespace joined to this one by a veth pair, each
 * side with its own address, so that a test in this JVM reaches the host over a real interface.
 * Needs root (CI runs as root); outside CI, tests using it are skipped with a message saying so.
 * Test thread.
 */
public final class LabHost implements AutoCloseable {

    private final String ns;
    private final String vethHere;
    private final String addressHere;
    private final String address;

    private LabHost(String tag, int subnet) {
        ns = "jwh" + tag;
        vethHere = "vh" + tag;
        addressHere = "10.204." + subnet + ".1";
        address = "10.204." + subnet + ".2";
    }

    /** Creates the host, or skips the calling test when this is not root outside CI. */
    public static LabHost create() throws IOException, InterruptedException {
        final boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && System.getenv("CI") == null) {
            Assumptions.abort("needs root to create network namespaces (ip netns); CI runs it as root");
        }
        final long pid = ProcessHandle.current().pid();
        final LabHost h = new LabHost(Long.toString(pid % 100_000), (int) (pid % 200) + 20);
        h.setUp();
        return h;
    }

    private void setUp() throws IOException, InterruptedException {
        close();
        final String vethThere = "vt" + ns.substring(3);
        run(true, "ip", "netns", "add", ns);
        run(true, "ip", "link", "add", vethHere, "type", "veth", "peer", "name", vethThere);
        run(true, "ip", "link", "set", vethThere, "netns", ns);
        run(true, "ip", "addr", "add", addressHere + "/24", "dev", vethHere);
        run(true, "ip", "link", "set", vethHere, "up");
        run(true, "ip", "-n", ns, "addr", "add", address + "/24", "dev", vethThere);
        run(true, "ip", "-n", ns, "link", "set", "lo", "up");
        run(true, "ip", "-n", ns, "link", "set", vethThere, "up");
    }

    /** The host's address, as this machine reaches it. */
    public String address() {
        return address;
    }

    /** {@code command} prefixed to run on the host. */
    public List<String> on(List<String> command) {
        final List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(command);
        return c;
    }

    @Override
    public void close() throws IOException {
        try {
            run(false, "ip", "link", "del", vethHere);
            run(false, "ip", "netns", "del", ns);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted removing " + ns, e);
        }
    }

    private static void run(boolean check, String... command) throws IOException, InterruptedException {
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
