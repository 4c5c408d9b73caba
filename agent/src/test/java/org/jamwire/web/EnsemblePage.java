package org.jamwire.web;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jamwire.testing.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Lab view's Ensembles section in headless chromium, as a user works it: the form that starts
 * an ensemble with one button, the run's state and summary, each member's meters, and Stop. Test
 * thread.
 */
final class EnsemblePage {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A meter whose peak is above this shows sound. */
    private static final double LOUD = -40;

    private final WebDriver driver;
    /** The loudest send and receive peaks each member's end has shown, by member. */
    private final Map<String, double[]> loudest = new HashMap<>();

    private EnsemblePage(WebDriver driver) {
        this.driver = driver;
    }

    /** Opens the agent's UI on {@code port} with its token, on the Lab view. */
    static EnsemblePage open(WebDriver driver, int port, String token) {
        final EnsemblePage page = new EnsemblePage(driver);
        driver.get("http://127.0.0.1:" + port + "/#token=" + token);
        page.until("the navigation", d -> !d.findElements(By.cssSelector("[data-test=nav-lab]")).isEmpty());
        Browser.click(driver, driver.findElement(By.cssSelector("[data-test=nav-lab]")));
        page.until("the ensemble form", d -> !d.findElements(By.cssSelector("[data-test=ensemble-name]")).isEmpty());
        return page;
    }

    /** Fills in the form and presses Start ensemble, once. */
    void start(String name, String hub, int patch, List<String> members, int channels, String queue) {
        Browser.type(driver, "ensemble-name", name);
        new Select(driver.findElement(By.cssSelector("[data-test=ensemble-hub]"))).selectByValue(hub);
        new Select(driver.findElement(By.cssSelector("[data-test=ensemble-patch]"))).selectByVisibleText(
                driver.findElements(By.cssSelector("[data-test=ensemble-patch] option")).get(patch).getText());
        for (String m : members) {
            Browser.click(driver, driver.findElement(By.cssSelector("[data-test=member-" + m + "]")));
            final WebElement ch = driver.findElement(By.cssSelector("[data-member=" + m + "] input[type=number]"));
            ch.clear();
            ch.sendKeys(String.valueOf(channels));
            final WebElement q = driver.findElement(By.cssSelector("[aria-label='Queue of " + m + "']"));
            q.clear();
            q.sendKeys(queue);
        }
        Browser.click(driver, driver.findElement(By.cssSelector("[data-test=start-ensemble]")));
    }

    /** Waits until the run shown is in {@code state}, and returns its summary. */
    String awaitState(String state, Duration timeout) {
        return Browser.until(driver, timeout, "the ensemble " + state, d -> {
            final List<WebElement> run = d.findElements(By.cssSelector("[data-test=ensemble-run]"));
            return !run.isEmpty() && state.equals(run.get(0).getAttribute("data-state"))
                    ? run.get(0).findElement(By.cssSelector("[data-test=ensemble-summary]")).getText() : null;
        }, this::shown);
    }

    /** Waits until each of {@code members}' ends has shown sound on its send meter and on its receive meter. */
    void awaitMetersMove(List<String> members, Duration timeout) {
        until("sound on the send and receive meters of " + members, d -> {
            for (WebElement end : d.findElements(By.cssSelector("[data-test=ensemble-ends] section[data-end=member]"))) {
                final String name = end.findElement(By.cssSelector("[data-test=end-name]")).getText()
                        .replace("Member: ", "");
                final double[] seen = loudest.computeIfAbsent(name, n -> new double[] {-200, -200});
                seen[0] = Math.max(seen[0], peak(end, "end-send"));
                seen[1] = Math.max(seen[1], peak(end, "end-receive"));
            }
            return members.stream().allMatch(m -> loudest.containsKey(m) && loudest.get(m)[0] > LOUD
                    && loudest.get(m)[1] > LOUD);
        }, timeout);
    }

    private static double peak(WebElement end, String group) {
        final List<WebElement> meters = end.findElements(By.cssSelector("[data-test=" + group + "] [data-test=meter]"));
        return meters.isEmpty() ? -200 : Double.parseDouble(meters.get(0).getAttribute("data-peak"));
    }

    /** What the end of {@code member} says of where its meters come from, when not from its own agent. */
    String note(String member) {
        return until("a note on " + member + "'s end", d -> d.findElements(By.cssSelector(
                "[data-test=ensemble-ends] section[data-end=member]")).stream()
                .filter(e -> e.findElement(By.cssSelector("[data-test=end-name]")).getText().endsWith(member))
                .flatMap(e -> e.findElements(By.cssSelector("[data-test=end-source]")).stream())
                .map(WebElement::getText).findFirst().orElse(null), WAIT);
    }

    /**
     * Waits until the hub's client list shows {@code names}, each receiving from the hub's point of
     * view (its recv counter above 0), and returns the rows' names.
     */
    List<String> awaitHubClients(List<String> names) {
        return until("the hub's clients " + names, d -> {
            final List<WebElement> rows = d.findElements(By.cssSelector(
                    "[data-test=ensemble-hub-clients] [data-test=hub-client]"));
            final List<String> shown = rows.stream().map(r -> r.getAttribute("data-name")).toList();
            final boolean receiving = rows.stream().allMatch(r -> !r.findElement(By.cssSelector(
                    "[data-test=client-recv]")).getText().strip().matches("0?|—|-"));
            return shown.containsAll(names) && receiving ? shown : null;
        });
    }

    /** Presses Measure on {@code member}'s row and returns what its status line says once measured. */
    String measureLatency(String member) {
        Browser.click(driver, until("Measure for " + member, d -> d.findElements(By.cssSelector(
                "[data-test=member-latency-row][data-member=" + member + "] [data-test=measure-member-latency]"))
                .stream().findFirst().orElse(null)));
        return until("the round trip of " + member, d -> d.findElements(By.cssSelector(
                "[data-test=member-latency-row][data-member=" + member + "] [data-test=member-latency-status]"))
                .stream().map(WebElement::getText).filter(t -> t.startsWith("Round trip: ")
                        || t.startsWith("Not measured: ")).findFirst().orElse(null));
    }

    /** Presses the saved ensemble's Stop. */
    void stop(String name) {
        Browser.click(driver, until("Stop on " + name, d -> d.findElements(By.cssSelector(
                "[data-test=ensemble][data-name=" + name + "] [data-test=stop-ensemble]")).stream().findFirst()
                .orElse(null), WAIT));
    }

    private <T> T until(String what, java.util.function.Function<WebDriver, T> condition) {
        return until(what, condition, WAIT);
    }

    private <T> T until(String what, java.util.function.Function<WebDriver, T> condition, Duration timeout) {
        return Browser.until(driver, timeout, what, condition, this::shown);
    }

    /** What the Ensembles section shows, for failure messages. */
    @SuppressWarnings("unchecked")
    String shown() {
        try {
            final Object shown = ((JavascriptExecutor) driver).executeScript(
                    "const q = (s, r = document) => Array.from(r.querySelectorAll(s));"
                    + "const t = (e) => e ? e.innerText.replace(/\\s+/g, ' ').trim() : null;"
                    + "return ["
                    + " 'form: ' + t(document.querySelector('[data-test=ensemble-form]')),"
                    + " 'saved: ' + q('[data-test=ensemble]').map(t).join(' | '),"
                    + " 'run: ' + t(document.querySelector('[data-test=ensemble-summary]')),"
                    + " 'steps: ' + q('[data-test=ensemble-step]').map(s => s.dataset.state + ' ' + t(s)).join(' | '),"
                    + " ...q('[data-test=ensemble-ends] section[data-end]').map(e => t(e.querySelector("
                    + "   '[data-test=end-name]')) + ': relay ' + (e.querySelector('[data-test=end-relay]')?.dataset.state"
                    + "   || 'up') + ', send ' + q('[data-test=end-send] [data-test=meter]', e).map(m => m.dataset.peak)"
                    + "   .join(' ') + ', receive ' + q('[data-test=end-receive] [data-test=meter]', e).map(m =>"
                    + "   m.dataset.peak).join(' ') + ' ' + (t(e.querySelector('[data-test=end-note]')) || ''))"
                    + "];");
            return "\n  " + String.join("\n  ", (List<String>) shown) + "\n  loudest seen: " + loudest.entrySet()
                    .stream().map(e -> e.getKey() + " send " + e.getValue()[0] + " receive " + e.getValue()[1]).toList();
        } catch (RuntimeException e) {
            return "(the page could not be read: " + e + ")";
        }
    }
}
