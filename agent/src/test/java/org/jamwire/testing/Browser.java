package org.jamwire.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless chromium, driven by its chromedriver, for the browser tests. Test thread. */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    /** A new headless chromium; fails when Debian's chromium or chromium-driver is missing. */
    public static WebDriver start() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver: run scripts/install-test-deps");
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000");
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * Clicks {@code e} once it is scrolled to the middle of the viewport. Headless chromium's viewport
     * is shorter than the window chromedriver reckons with: a button near the window's bottom edge
     * counts as in view, and the click lands on nothing.
     */
    public static void click(WebDriver driver, WebElement e) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    /** Types {@code text} into the element with this data-test, in place of what it held. */
    public static void type(WebDriver driver, String test, String text) {
        final WebElement e = driver.findElement(By.cssSelector("[data-test=" + test + "]"));
        e.clear();
        e.sendKeys(text);
    }

    /** Waits for {@code condition}; on a timeout, fails with {@code what} and what {@code page} says. */
    public static <T> T until(WebDriver driver, Duration timeout, String what, Function<WebDriver, T> condition,
            Supplier<String> page) {
        try {
            return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; the page showed:"
                    + page.get(), e);
        }
    }
}
