package org.jamwire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jamwire.testing.Browser;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.Program;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Lab view in Debian's headless chromium, pairing two lab hosts: two network namespaces on one
 * lab network, each with its own sshd, JACK server and (on the first) a JamWire agent. Both hosts
 * are added from the form with their JACK server and agent token file, their host keys confirmed,
 * the second host's agent started from its card, and a pair started with the server on the first
 * and the client on the second. With the client's end looped back on its JACK server and a test
 * signal fed in at the server's, both ends' send and receive meters move on the page; a latency
 * test is run from the page, and the pair is stopped from it.
 */
@Tag("integration")
class TwoLabHostsBrowserTest {

    private static final Pattern LISTENING = Pattern.compile("listening: +(http://127\\.0\\.0\\.1:[0-9]+/)");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int CHANNELS = 2;
    /** A meter whose peak is above this shows sound. */
    private static final double LOUD = -40;

    @TempDir
    Path dir;

    /** This machine's agent, the coordinator: its output goes into failure messages. */
    private Program coordinator;

    @Test
    void pairs_two_lab_hosts_from_the_lab_view_and_sees_both_ends_meters_move() throws Exception {
        final List<String> path = SshServer.jamwireOnPath(dir.resolve("bin"));
        final Path tokenA = dir.resolve("a/token");
        final Path tokenB = dir.resolve("b/token");
        final Path tokenHere = dir.resolve("coordinator/token");
        Files.createDirectories(tokenHere.getParent());
        Files.writeString(dir.resolve("coordinator.json"), "{}");
        final List<String> leftOver = new ArrayList<>();
        try (LabHosts lab = LabHosts.create(2);
             JackServer jackA = JackServer.start(RATE, PERIOD, CHANNELS, CHANNELS);
             JackServer jackB = JackServer.start(RATE, PERIOD, CHANNELS, CHANNELS);
             SshServer sshA = SshServer.start(dir.resolve("sshd-a"), lab.host(0).address(), lab.host(0).on(List.of()),
                     path);
             SshServer sshB = SshServer.start(dir.resolve("sshd-b"), lab.host(1).address(), lab.host(1).on(List.of()),
                     path);
             // Host A's agent runs already, on its own loopback, as a lab host's service would.
             Program agentA = Program.launcher(jackA.name(), lab.host(0).on(List.of()), "agent", "--port", "8464",
                     "--token-file", tokenA.toString(), "--jack-server", jackA.name());
             Program here = Program.jamwire(null, "agent", "--port", "0", "--token-file", tokenHere.toString(),
                     "--config", dir.resolve("coordinator.json").toString(), "--jack-server",
                     "jamwire-e2e-none-" + ProcessHandle.current().pid())) {
            coordinator = here;
            agentA.awaitOutput("Open the web UI", Duration.ofSeconds(60));
            coordinator.awaitOutput("Open the web UI", Duration.ofSeconds(60));
            final Matcher m = LISTENING.matcher(coordinator.output());
            assertTrue(m.find(), coordinator.output());
            final WebDriver driver = BrowserEndToEndTest.browser();
            try {
                final WebDriverWait wait = new WebDriverWait(driver, WAIT);
                driver.get(m.group(1) + "#token=" + Files.readString(tokenHere).trim());
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=nav-lab]")).isEmpty());
                click(driver, driver.findElement(By.cssSelector("[data-test=nav-lab]")));
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=peer-form]")).isEmpty());

                addAndTrust(driver, "lab-a", sshA, lab.host(0).address(), jackA.name(), tokenA);
                addAndTrust(driver, "lab-b", sshB, lab.host(1).address(), jackB.name(), tokenB);
                assertEquals("running", peerRow(driver, "lab-a").findElement(By.cssSelector("[data-test=report-agent]"))
                        .getText(), "lab-a's agent runs already: " + page(driver));

                // lab-b has no agent: its card offers to start one.
                click(driver, peerRow(driver, "lab-b").findElement(By.cssSelector("[data-test=start-agent]")));
                until(driver, Duration.ofSeconds(60), "lab-b's agent started from its card",
                        d -> "running".equals(peerRow(d, "lab-b").findElement(By.cssSelector("[data-test=report-agent]"))
                                .getText()));

                // The pair: the server on lab-a, the client on lab-b, both on JACK.
                new Select(driver.findElement(By.cssSelector("[data-test=pair-peer]"))).selectByValue("lab-a");
                new Select(driver.findElement(By.cssSelector("[data-test=pair-client]"))).selectByValue("lab-b");
                new Select(driver.findElement(By.cssSelector("[data-test=pair-opt-backend]"))).selectByValue("jack");
                type(driver, "pair-opt-numchannels", String.valueOf(CHANNELS));
                type(driver, "pair-opt-queue", "4");
                click(driver, driver.findElement(By.cssSelector("[data-test=start-pair]")));
                until(driver, Duration.ofSeconds(90), "all of the pair's steps done", d -> {
                    final List<WebElement> steps = d.findElements(By.cssSelector("[data-test=pair-step]"));
                    if (steps.stream().anyMatch(s -> "FAILED".equals(s.getAttribute("data-state")))) {
                        throw new AssertionError("a step of the pair failed: " + page(d));
                    }
                    return !steps.isEmpty() && steps.stream().allMatch(s -> "DONE".equals(s.getAttribute("data-state")))
                            && "done".equals(d.findElement(By.cssSelector("[data-test=pair-job]"))
                                    .getAttribute("data-outcome"));
                });
                assertTrue(driver.findElement(By.cssSelector("[data-test=pair-job] h3")).getText()
                        .contains("lab-a and lab-b"), page(driver));

                // Loop lab-b's end: what its client receives, it sends back.
                final String far = clientName(jackB.name());
                for (int c = 1; c <= CHANNELS; c++) {
                    JackServer.connect(jackB.name(), far + ":receive_" + c, far + ":send_" + c);
                }
                JackServer.awaitPort(jackA.name(), "JackTrip:send_" + CHANNELS, WAIT);
                try (JackSignalClient probe = JackSignalClient.open(jackA, "pairprobe", CHANNELS, CHANNELS, RATE)) {
                    for (int c = 1; c <= CHANNELS; c++) {
                        probe.connect(probe.output(c), "JackTrip:send_" + c);
                        probe.connect("JackTrip:receive_" + c, probe.input(c));
                    }
                    // Both ends, relayed from both hosts' agents: sound going out and coming back,
                    // and levels that keep changing.
                    final Map<String, List<String>> first = until(driver, WAIT,
                            "sound on both ends' send and receive meters", TwoLabHostsBrowserTest::loudEnds);
                    until(driver, WAIT, "both ends' meters changing from " + first, d -> {
                        final Map<String, List<String>> now = loudEnds(d);
                        return now != null && !now.get("server").equals(first.get("server"))
                                && !now.get("client").equals(first.get("client"));
                    });
                }

                // The latency test, from the page: a result in ms and frames.
                click(driver, driver.findElement(By.cssSelector("[data-test=measure-latency]")));
                final WebElement result = until(driver, Duration.ofSeconds(60), "a latency result", d -> {
                    final WebElement status = d.findElement(By.cssSelector("[data-test=latency-status]"));
                    if ("failed".equals(status.getAttribute("data-state"))) {
                        throw new AssertionError("the latency test failed: " + page(d));
                    }
                    final List<WebElement> r = d.findElements(By.cssSelector(
                            "[data-test=latency-results] [data-test=latency-result]:first-child"));
                    return "idle".equals(status.getAttribute("data-state")) && !r.isEmpty() ? r.get(0) : null;
                });
                final double ms = Double.parseDouble(result.getAttribute("data-ms"));
                final int frames = Integer.parseInt(result.getAttribute("data-frames"));
                // At least a period at each end, and less than a fifth of a second with queues of 4 periods.
                assertTrue(frames >= 2 * PERIOD && frames < RATE / 5, "latency " + frames + " frames: " + page(driver));
                assertEquals(1000.0 * frames / RATE, ms, 0.01, "latency in ms: " + page(driver));
                assertTrue(result.getText().contains(" ms") && result.getText().contains(" frames"), result.getText());

                // Stopped from the page: the page says so, and both ends' JACK ports go.
                click(driver, driver.findElement(By.cssSelector("[data-test=stop-pair]")));
                until(driver, WAIT, "the pair stopped", d -> "stopped".equals(d.findElement(
                        By.cssSelector("[data-test=pair-job]")).getAttribute("data-outcome"))
                        && d.findElement(By.cssSelector("[data-test=pair-summary]")).getText().startsWith("Stopped"));
                Deadlines.await(Duration.ofSeconds(20), () -> JackServer.portGone(jackA.name(), "JackTrip:send_1")
                        && JackServer.portGone(jackB.name(), far + ":send_1"),
                        () -> "both ends' JACK ports gone: A " + JackServer.lspOf(jackA.name()) + ", B "
                                + JackServer.lspOf(jackB.name()));
            } finally {
                driver.quit();
            }
        } finally {
            // The agent started on lab-b stops with this machine's agent.
            leftOver.addAll(stopLeftOver(tokenB));
        }
        assertEquals(List.of(), leftOver, "lab-b's agent outlived the agent that started it");
    }

    /**
     * The processes still running with {@code token} on their command line once they had a while to
     * stop, each killed.
     */
    private static List<String> stopLeftOver(Path token) {
        final java.util.function.Supplier<List<ProcessHandle>> running = () -> ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(token.toString())).orElse(false)).toList();
        final long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!running.get().isEmpty() && System.nanoTime() < end) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        final List<String> left = new ArrayList<>();
        for (ProcessHandle p : running.get()) {
            left.add(p.pid() + " " + p.info().commandLine().orElse("?"));
            p.destroyForcibly();
        }
        return left;
    }

    /** Adds a peer from the form, probes it, and trusts its host key after checking its fingerprint. */
    private void addAndTrust(WebDriver driver, String name, SshServer sshd, String host,
            String jack, Path token) throws Exception {
        type(driver, "peer-name", name);
        type(driver, "peer-host", host);
        type(driver, "peer-port", String.valueOf(sshd.port()));
        type(driver, "peer-user", System.getProperty("user.name"));
        type(driver, "peer-key", sshd.userKey().toString());
        type(driver, "peer-jack", jack);
        type(driver, "peer-agent-token", token.toString());
        click(driver, driver.findElement(By.cssSelector("[data-test=add-peer]")));
        final WebElement row = until(driver, WAIT, name + " listed", d -> peerRow(d, name));
        assertEquals(jack, row.findElement(By.cssSelector("[data-test=peer-jack-server]")).getText(), page(driver));
        assertEquals(token.toString(), row.findElement(By.cssSelector("[data-test=peer-agent-token-file]")).getText(),
                page(driver));
        click(driver, row.findElement(By.cssSelector("[data-test=probe-peer]")));
        final WebElement fingerprint = until(driver, WAIT, name + "'s unknown host key", d -> peerRow(d, name)
                .findElements(By.cssSelector("[data-test=fingerprint]")).stream().findFirst().orElse(null));
        assertTrue(fingerprint.getText().contains(sshd.hostFingerprint()), fingerprint.getText());
        click(driver, peerRow(driver, name).findElement(By.cssSelector("[data-test=trust-key]")));
        until(driver, WAIT, name + " probed", d -> !peerRow(d, name).findElements(By.cssSelector(
                "[data-test=peer-report]")).isEmpty());
        assertEquals("running", peerRow(driver, name).findElement(By.cssSelector("[data-test=report-jack]")).getText(),
                name + "'s JACK server: " + peerRow(driver, name).getText());
    }

    private static WebElement peerRow(WebDriver d, String name) {
        return d.findElements(By.cssSelector("[data-test=peer-row]")).stream()
                .filter(r -> name.equals(r.getAttribute("data-peer"))).findFirst().orElse(null);
    }

    /**
     * Each end's meter values (send, then receive: RMS/peak per channel) while both ends' send and
     * receive meters all show sound on their first channel; else null.
     */
    private static Map<String, List<String>> loudEnds(WebDriver d) {
        final Map<String, List<String>> ends = new java.util.LinkedHashMap<>();
        for (String end : List.of("server", "client")) {
            final List<String> values = new ArrayList<>();
            for (String group : List.of("end-send", "end-receive")) {
                final List<WebElement> meters = d.findElements(By.cssSelector("[data-test=pair-ends] section[data-end="
                        + end + "] [data-test=" + group + "] [data-test=meter]"));
                if (meters.isEmpty() || Double.parseDouble(meters.get(0).getAttribute("data-peak")) <= LOUD) {
                    return null;
                }
                for (WebElement meter : meters) {
                    values.add(meter.getAttribute("data-db") + "/" + meter.getAttribute("data-peak"));
                }
            }
            ends.put(end, values);
        }
        return ends;
    }

    /** What the pair's part of the page shows, for failure messages. */
    @SuppressWarnings("unchecked")
    private String page(WebDriver d) {
        try {
            final Object shown = ((JavascriptExecutor) d).executeScript(
                    "const q = (s, r = document) => Array.from(r.querySelectorAll(s));"
                    + "const t = (e) => e ? e.innerText.replace(/\\s+/g, ' ').trim() : null;"
                    + "return ["
                    + " 'peers: ' + q('[data-test=peer-row]').map(t).join(' | '),"
                    + " 'peers status: ' + t(document.querySelector('[data-test=peers-status]')),"
                    + " 'pair form: ' + t(document.querySelector('[data-test=pair-form]')),"
                    + " 'pair status: ' + t(document.querySelector('[data-test=pair-status]')),"
                    + " 'pair: ' + t(document.querySelector('[data-test=pair-summary]')),"
                    + " 'steps: ' + q('[data-test=pair-step]').map(s => s.dataset.state + ' ' + t(s)).join(' | '),"
                    + " ...q('[data-test=pair-ends] section[data-end]').map(e => e.dataset.end + ' end: relay '"
                    + "   + (e.querySelector('[data-test=end-relay]')?.dataset.state || 'up') + ' '"
                    + "   + t(e.querySelector('[data-test=end-relay]'))"
                    + "   + ', send ' + q('[data-test=end-send] [data-test=meter]', e).map(m => m.dataset.db + '/' + m.dataset.peak).join(' ')"
                    + "   + ', receive ' + q('[data-test=end-receive] [data-test=meter]', e).map(m => m.dataset.db + '/' + m.dataset.peak).join(' ')"
                    + "   + ', queue ' + t(e.querySelector('[data-test=end-queue]'))),"
                    + " 'latency: ' + t(document.querySelector('[data-test=latency-status]')) + ' '"
                    + "   + q('[data-test=latency-result]').map(t).join(' | ')"
                    + "];");
            final String said = coordinator.output().replaceAll("#token=[0-9a-fA-F]+", "#token=…");
            return "\n  " + String.join("\n  ", (List<String>) shown) + "\n  this machine's agent said: "
                    + (said.length() > 3000 ? "…" + said.substring(said.length() - 3000) : said);
        } catch (RuntimeException e) {
            return "(the page could not be read: " + e + ")";
        }
    }

    /** Waits for {@code condition}; on a timeout, fails with what the page showed. */
    private <T> T until(WebDriver driver, Duration timeout, String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; the page showed:"
                    + page(driver), e);
        }
    }

    /** The JACK client name of the pair's client on {@code server}: the one with link send ports. */
    private static String clientName(String server) {
        final String[] name = new String[1];
        Deadlines.await(WAIT, () -> {
            name[0] = JackServer.lspOf(server).stream().filter(p -> p.endsWith(":send_" + CHANNELS))
                    .map(p -> p.substring(0, p.lastIndexOf(':'))).findFirst().orElse(null);
            return name[0] != null;
        }, () -> "the client's JACK ports on " + server + ": " + JackServer.lspOf(server));
        return name[0];
    }

    private static void click(WebDriver driver, WebElement e) {
        Browser.click(driver, e);
    }

    private static void type(WebDriver driver, String test, String text) {
        final WebElement e = driver.findElement(By.cssSelector("[data-test=" + test + "]"));
        e.clear();
        e.sendKeys(text);
    }
}
