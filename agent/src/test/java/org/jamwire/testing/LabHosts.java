package org.jamwire.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Lab hosts beside this machine: network namespaces, each joined by a veth pair to a bridge that
 * this machine is on too, each with an address of its own. The hosts reach each other and this
 * machine reaches them all, over real interfaces, as machines on one lab network would; each can
 * bind the same ports as the others. Needs root (CI runs as root); outside CI, tests using it are
 * skipped with a message saying so. Test thread.
 */
public final class LabHosts implements AutoCloseable {

    /** One host. */
    public static final class Host {
        private final String ns;
        private final String address;

        private Host(String ns, String address) {
            this.ns = ns;
            this.address = address;
        }

        /** Its address, as this machine and the other hosts reach it. */
        public String address() {
            return address;
        }

        /** {@code command} prefixed to run on the host. */
        public List<String> on(List<String> command) {
            final List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            c.addAll(command);
            return c;
        }
    }

    private final String tag;
    private final String bridge;
    private final String subnet;
    private final List<Host> hosts = new ArrayList<>();

    private LabHosts(String tag, int subnet) {
        this.tag = tag;
        this.bridge = "jwbr" + tag;
        this.subnet = "10.204." + subnet + ".";
    }

    /** Creates {@code n} hosts, or skips the calling test when this is not root outside CI. */
    public static LabHosts create(int n) throws IOException, InterruptedException {
        final boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && System.getenv("CI") == null) {
            Assumptions.abort("needs root to create network namespaces (ip netns); CI runs it as root");
        }
        final long pid = ProcessHandle.current().pid();
        removeStale();
        final LabHosts h = new LabHosts(Long.toString(pid), freeSubnet((int) (pid % 200) + 20));
        h.setUp(n);
        return h;
    }

    /**
     * Removes the lab networks of test JVMs that are gone (killed before they could clean up),
     * and stops what still runs in them: a bridge left behind on a subnet routes that subnet's
     * addresses away from a new lab's hosts.
     */
    private static void removeStale() throws IOException, InterruptedException {
        for (final String line : output("ip", "-o", "link", "show", "type", "bridge").split("\n")) {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\d+: jwbr(\\d+)[:@]").matcher(line);
            if (!m.find() || ProcessHandle.of(Long.parseLong(m.group(1))).isPresent()) {
                continue;
            }
            final String tag = m.group(1);
            for (int i = 0; i < 8; i++) {
                final String ns = "jwh" + tag + "-" + i;
                for (final String pid : output("ip", "netns", "pids", ns).split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            }
            new LabHosts(tag, 0).close();
        }
    }

    /** {@code preferred}, or the next subnet 10.204.X.0/24 that no interface here uses. */
    private static int freeSubnet(int preferred) throws IOException, InterruptedException {
        final String used = output("ip", "-o", "-4", "addr", "show");
        for (int i = 0; i < 200; i++) {
            final int candidate = 20 + (preferred - 20 + i) % 200;
            if (!used.contains(" 10.204." + candidate + ".")) {
                return candidate;
            }
        }
        throw new IOException("no free subnet 10.204.20-219.0/24 for the lab hosts:\n" + used);
    }

    private static String output(String... command) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " hung");
        }
        return out;
    }

    private void setUp(int n) throws IOException, InterruptedException {
        close();
        run(true, "ip", "link", "add", bridge, "type", "bridge");
        run(true, "ip", "addr", "add", subnet + "1/24", "dev", bridge);
        run(true, "ip", "link", "set", bridge, "up");
        for (int i = 0; i < n; i++) {
            final String ns = "jwh" + tag + "-" + i;
            final String here = "vh" + tag + "-" + i;
            final String there = "vt" + tag + "-" + i;
            final Host h = new Host(ns, subnet + (i + 2));
            hosts.add(h);
            run(true, "ip", "netns", "add", ns);
            run(true, "ip", "link", "add", here, "type", "veth", "peer", "name", there);
            run(true, "ip", "link", "set", there, "netns", ns);
            run(true, "ip", "link", "set", here, "master", bridge);
            run(true, "ip", "link", "set", here, "up");
            run(true, "ip", "-n", ns, "addr", "add", h.address() + "/24", "dev", there);
            run(true, "ip", "-n", ns, "link", "set", "lo", "up");
            run(true, "ip", "-n", ns, "link", "set", there, "up");
        }
    }

    /** Host {@code i}, from 0. */
    public Host host(int i) {
        return hosts.get(i);
    }

    /** This machine's address on the lab network. */
    public String addressHere() {
        return subnet + "1";
    }

    @Override
    public void close() throws IOException {
        try {
            for (int i = 0; i < Math.max(hosts.size(), 8); i++) {
                run(false, "ip", "link", "del", "vh" + tag + "-" + i);
                run(false, "ip", "netns", "del", "jwh" + tag + "-" + i);
            }
            run(false, "ip", "link", "del", bridge);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted removing the lab hosts", e);
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
