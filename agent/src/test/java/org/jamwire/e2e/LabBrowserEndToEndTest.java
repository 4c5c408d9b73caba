package org.jamwire.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.Program;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Lab view in Debian's headless chromium: a lab host in a network namespace with its own sshd
 * is added as a peer, its unknown host key is shown and trusted, its card's link test runs (on the
 * built-in backend's link, JACK not running here), the same host is imported again from an Ansible
 * inventory, and a pair is started from the form, its steps followed to the end; this end's meters
 * then move on the Live page, and the pair stops from the UI. Both ends use the built-in backend.
 */
@Tag("integration")
class LabBrowserEndToEndTest {

    private static final Pattern LISTENING = Pattern.compile("listening: +(http://127\\.0\\.0\\.1:[0-9]+/)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void pairs_with_a_lab_host_from_the_lab_view() throws Exception {
        final Path tokenFile = dir.resolve("agent/token");
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(dir.resolve("agent.json"), "{}");
        try (LabHosts lab = LabHosts.create(1);
             SshServer sshd = SshServer.start(dir.resolve("sshd"), lab.host(0).address(), lab.host(0).on(List.of()),
                     SshServer.jamwireOnPath(dir.resolve("bin")));
             Program agent = Program.jamwire(null, "agent", "--port", "0", "--token-file", tokenFile.toString(),
                     "--config", dir.resolve("agent.json").toString(), "--jack-server", "jamwire-e2e-none")) {
            agent.awaitOutput("Open the web UI", WAIT);
            final Matcher m = LISTENING.matcher(agent.output());
            assertTrue(m.find(), agent.output());
            final WebDriver driver = BrowserEndToEndTest.browser();
            try {
                final WebDriverWait wait = new WebDriverWait(driver, WAIT);
                driver.get(m.group(1) + "#token=" + Files.readString(tokenFile).trim());
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=nav-lab]")).isEmpty());
                driver.findElement(By.cssSelector("[data-test=nav-lab]")).click();
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=peer-form]")).isEmpty());
                type(driver, "peer-name", "lab-b");
                type(driver, "peer-host", lab.host(0).address());
                type(driver, "peer-port", String.valueOf(sshd.port()));
                type(driver, "peer-user", System.getProperty("user.name"));
                type(driver, "peer-key", sshd.userKey().toString());
                driver.findElement(By.cssSelector("[data-test=add-peer]")).click();
                final WebElement row = wait.until(d -> d.findElements(By.cssSelector("[data-test=peer-row]")).stream()
                        .filter(r -> "lab-b".equals(r.getAttribute("data-peer"))).findFirst().orElse(null));
                row.findElement(By.cssSelector("[data-test=probe-peer]")).click();

                // The unknown host key: its fingerprint is shown, and matches the one on the host.
                final WebElement fingerprint = wait.until(d -> d.findElements(By.cssSelector("[data-test=fingerprint]"))
                        .stream().findFirst().orElse(null));
                assertTrue(fingerprint.getText().contains(sshd.hostFingerprint()), fingerprint.getText());
                driver.findElement(By.cssSelector("[data-test=trust-key]")).click();
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=peer-report]")).isEmpty());

                // The link test on its card: JACK does not run here, which the agent says, and the card
                // offers the built-in backend's link instead; the echo there takes a free lab port.
                final WebDriverWait slow = new WebDriverWait(driver, Duration.ofSeconds(90));
                driver.findElement(By.cssSelector("[data-test=linktest-run]")).click();
                slow.until(d -> !d.findElements(By.cssSelector("[data-test=linktest-builtin]")).isEmpty());
                assertTrue(driver.findElement(By.cssSelector("[data-test=linktest-error]")).getText()
                        .contains("JACK is not running here"));
                driver.findElement(By.cssSelector("[data-test=linktest-builtin]")).click();
                final WebElement advice = slow.until(d -> d.findElements(By.cssSelector("[data-test=linktest-advice]"))
                        .stream().findFirst().orElse(null));
                assertTrue(advice.getText().matches("(?s)-q [0-9]+ -b [0-9].*"), advice.getText());
                assertTrue(driver.findElement(By.cssSelector("[data-test=linktest-path]")).getText()
                        .contains("both directions"));

                // The same host again, from an Ansible inventory: added, its host key still to confirm.
                final Path inventory = Files.writeString(dir.resolve("inventory.yml"), String.join("\n", "lab:",
                        "  hosts:", "    lab-c:", "      ansible_host: " + lab.host(0).address(),
                        "      ansible_port: " + sshd.port(),
                        "      jamwire_agent_user: " + System.getProperty("user.name"),
                        "      jamwire_coordinator_key: " + sshd.userKey(), ""));
                driver.findElement(By.cssSelector("[data-test=inventory-open]")).click();
                type(driver, "inventory-path", inventory.toString());
                driver.findElement(By.cssSelector("[data-test=inventory-import-button]")).click();
                final WebElement imported = wait.until(d -> d.findElements(By.cssSelector("[data-test=inventory-host]"))
                        .stream().findFirst().orElse(null));
                assertTrue("lab-c".equals(imported.getAttribute("data-host"))
                        && "added".equals(imported.getAttribute("data-outcome")), imported.getText());
                wait.until(d -> d.findElements(By.cssSelector("[data-test=peer-row]")).stream()
                        .anyMatch(r -> "lab-c".equals(r.getAttribute("data-peer"))));

                new Select(driver.findElement(By.cssSelector("[data-test=pair-peer]"))).selectByValue("lab-b");
                new Select(driver.findElement(By.cssSelector("[data-test=pair-opt-backend]"))).selectByValue("builtin");
                driver.findElement(By.cssSelector("[data-test=start-pair]")).click();
                try {
                    wait.until(d -> {
                        final List<WebElement> steps = d.findElements(By.cssSelector("[data-test=pair-step]"));
                        if (steps.stream().anyMatch(s -> "FAILED".equals(s.getAttribute("data-state")))) {
                            throw new AssertionError("a step failed: " + steps.stream().map(WebElement::getText).toList());
                        }
                        // connect, check both ends, start the server, wait until it listens, start the
                        // client here, wait for audio both ways.
                        return steps.size() == 6 && steps.stream().allMatch(s -> "DONE".equals(s.getAttribute("data-state")));
                    });
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("the pair's steps: " + driver.findElements(By.cssSelector("[data-test=pair-step]"))
                            .stream().map(s -> s.getAttribute("data-state") + " " + s.getText()).toList(), e);
                }

                driver.findElement(By.cssSelector("[data-test=pair-live-link]")).click();
                final List<String> first = wait.until(BrowserEndToEndTest::loudMeters);
                wait.until(d -> {
                    final List<String> now = BrowserEndToEndTest.loudMeters(d);
                    return now != null && !now.equals(first);
                });

                driver.findElement(By.cssSelector("[data-test=nav-lab]")).click();
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=stop-pair]")).isEmpty());
                driver.findElement(By.cssSelector("[data-test=stop-pair]")).click();
                wait.until(d -> d.findElement(By.cssSelector("[data-test=pair-job]")).getText().toLowerCase()
                        .contains("stopped"));
            } finally {
                driver.quit();
            }
        }
    }

    private static void type(WebDriver driver, String test, String text) {
        final WebElement e = driver.findElement(By.cssSelector("[data-test=" + test + "]"));
        e.clear();
        e.sendKeys(text);
    }
}
