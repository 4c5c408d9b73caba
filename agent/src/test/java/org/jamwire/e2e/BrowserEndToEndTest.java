package org.jamwire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jamwire.testing.Browser;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.Program;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser: Debian's headless chromium, driven through Debian's chromedriver,
 * against two agents running as separate processes. It enters the token, starts a server on one
 * agent and a client on the other from the form, sees the meters move, and stops the link.
 */
@Tag("integration")
class BrowserEndToEndTest {

    private static final Pattern LISTENING = Pattern.compile("listening: +(http://127\\.0\\.0\\.1:[0-9]+/)");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** An agent process and where to reach it. */
    private record Agent(Program process, String url, String token) {
    }

    private Agent startAgent(String name) throws Exception {
        final Path tokenFile = dir.resolve(name + "-token");
        final Program p = Program.jamwire(null, "agent", "--port", "0", "--token-file", tokenFile.toString(),
                "--config", writeConfig(name), "--jack-server", "jamwire-e2e-none-" + ProcessHandle.current().pid());
        p.awaitOutput("Open the web UI", WAIT);
        final Matcher m = LISTENING.matcher(p.output());
        assertTrue(m.find(), p.output());
        return new Agent(p, m.group(1), Files.readString(tokenFile).trim());
    }

    private String writeConfig(String name) throws Exception {
        final Path file = dir.resolve(name + ".json");
        Files.writeString(file, "{}");
        return file.toString();
    }

    static WebDriver browser() {
        return Browser.start();
    }

    @Test
    void starts_a_link_between_two_agents_from_the_form_sees_meters_move_and_stops_it() throws Exception {
        final int serverPort = FreePorts.udp();
        {
            final Agent server = startAgent("a");
            final Agent client = startAgent("b");
            WebDriver driver = null;
            try {
                driver = browser();
                final WebDriverWait wait = new WebDriverWait(driver, WAIT);

                // First visit without the token in the URL: the UI asks for it.
                driver.get(server.url());
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=token-input]")).isEmpty());
                driver.findElement(By.cssSelector("[data-test=token-input]")).sendKeys(server.token());
                driver.findElement(By.cssSelector("[data-test=token-submit]")).click();
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=link-form]")).isEmpty()
                        || !d.findElements(By.cssSelector("[data-test=nav-links]")).isEmpty());
                driver.findElement(By.cssSelector("[data-test=nav-links]")).click();
                startFromForm(driver, wait, "server", null, 0, serverPort, "e2e-server");
                wait.until(d -> row(d, "waiting", "connected"));

                // The other agent, opened the way jamwire agent prints it: with the token in the fragment.
                ((JavascriptExecutor) driver).executeScript("window.open(arguments[0], '_blank')",
                        client.url() + "#token=" + client.token());
                final String serverTab = driver.getWindowHandle();
                final Set<String> tabs = new HashSet<>(driver.getWindowHandles());
                tabs.remove(serverTab);
                driver.switchTo().window(tabs.iterator().next());
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=nav-links]")).isEmpty());
                assertTrue(!driver.getCurrentUrl().contains(client.token()), "the token is removed from the address bar");
                driver.findElement(By.cssSelector("[data-test=nav-links]")).click();
                startFromForm(driver, wait, "client", "127.0.0.1", serverPort, FreePorts.udp(), "e2e-client");
                wait.until(d -> row(d, "connected"));

                // Back on the server's agent: the link connects and its meters move.
                driver.switchTo().window(serverTab);
                wait.until(d -> row(d, "connected"));
                driver.findElement(By.cssSelector("[data-test=nav-live]")).click();
                wait.until(d -> !d.findElements(By.cssSelector("[data-test=meter]")).isEmpty());
                final List<String> first = wait.until(d -> loudMeters(d));
                final List<String> later = new WebDriverWait(driver, WAIT).until(d -> {
                    final List<String> now = loudMeters(d);
                    return now != null && !now.equals(first) ? now : null;
                });
                assertTrue(later.size() >= 2, "meters for both directions: " + later);

                driver.findElement(By.cssSelector("[data-test=nav-links]")).click();
                final WebElement running = wait.until(d -> row(d, "connected"));
                running.findElement(By.cssSelector("[data-test=stop-link]")).click();
                try {
                    wait.until(d -> row(d, "stopped"));
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("the link row never showed stopped: "
                            + driver.findElement(By.cssSelector("[data-test=links-status]")).getText() + " / "
                            + driver.findElements(By.cssSelector("[data-test=link-row]")).stream()
                                    .map(r -> r.getAttribute("data-state") + ": " + r.getText()).toList(), e);
                }
            } finally {
                if (driver != null) {
                    driver.quit();
                }
                server.process().close();
                client.process().close();
            }
        }
    }

    private static void startFromForm(WebDriver driver, WebDriverWait wait, String mode, String host, int peerPort,
            int bindPort, String name) {
        wait.until(d -> !d.findElements(By.cssSelector("[data-test=opt-backend]")).isEmpty());
        driver.findElement(By.cssSelector("[data-test=mode-" + mode + "]")).click();
        if (host != null) {
            type(driver, "host-input", host);
            type(driver, "opt-peerport", String.valueOf(peerPort));
        }
        new Select(driver.findElement(By.cssSelector("[data-test=opt-backend]"))).selectByValue("builtin");
        type(driver, "opt-bindport", String.valueOf(bindPort));
        type(driver, "opt-clientname", name);
        wait.until(d -> d.findElement(By.cssSelector("[data-test=command-line]")).getText().contains(name));
        driver.findElement(By.cssSelector("[data-test=start-link]")).click();
    }

    private static void type(WebDriver driver, String test, String text) {
        final WebElement e = driver.findElement(By.cssSelector("[data-test=" + test + "]"));
        e.clear();
        e.sendKeys(text);
    }

    private static WebElement row(WebDriver d, String... states) {
        for (WebElement r : d.findElements(By.cssSelector("[data-test=link-row]"))) {
            for (String s : states) {
                if (s.equals(r.getAttribute("data-state"))) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The RMS of every meter showing audio (above -60 dBFS), or null while fewer than two do. */
    static List<String> loudMeters(WebDriver d) {
        final List<String> db = d.findElements(By.cssSelector("[data-test=meter]")).stream()
                .map(m -> m.getAttribute("data-db")).filter(v -> v != null && Double.parseDouble(v) > -60).toList();
        return db.size() >= 2 ? db : null;
    }

}
