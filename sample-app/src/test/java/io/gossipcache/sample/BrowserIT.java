package io.gossipcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The cluster page at {@code /} in a real browser: Debian's headless Chromium, driven through its chromedriver,
 * against three sample-app JVMs on 127.0.0.1. Each node's page, open in its own tab, shows the three members; a key
 * put through node 1's page shows in node 2's; a node killed with {@code kill -9} leaves the others' pages within the
 * failure-detection time; a node switched to LOCAL shows so on every page. Screenshots go to
 * {@code target/screenshots}; any browser console error fails the test. Where Chromium or chromedriver is missing
 * (`.ci/run` installs them) the test is skipped with one line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserIT {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    /** Failure detection of the nodes under test: a silent member is dropped after timeout + verify. */
    private static final Duration FD_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FD_VERIFY = Duration.ofSeconds(1);
    /** A page polls once a second; a rendering takes a moment more on a loaded machine. */
    private static final Duration PAGE = Duration.ofSeconds(5);

    private final List<SampleNode> nodes = new ArrayList<>();
    private final Path screenshots = Paths.get("target", "screenshots");
    private WebDriver browser;
    private Path profile;

    @BeforeAll
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void startClusterAndBrowser() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            System.out.println("[browser] skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
                    + " (Debian packages chromium and chromium-driver; .ci/run installs them)");
        }
        Assumptions.assumeTrue(present, "Chromium and chromedriver are not installed");
        String cluster = "sample-browser-" + UUID.randomUUID().toString().substring(0, 8);
        int base = SampleNode.clusterPortBase();
        List<String> options = List.of(
                "--gossipcache.cluster.name=" + cluster,
                "--gossipcache.cluster.bind-port=" + base,
                "--gossipcache.cluster.port-range=4",
                "--gossipcache.failure-detection.interval=1s",
                "--gossipcache.failure-detection.timeout=" + FD_TIMEOUT.toSeconds() + "s",
                "--gossipcache.failure-detection.verify-timeout=" + FD_VERIFY.toSeconds() + "s",
                "--spring.main.banner-mode=off");
        for (int i = 1; i <= 3; i++) {
            nodes.add(new SampleNode("browser" + i, SampleNode.freePort(), options));
        }
        nodes.get(0).start();
        awaitUp(nodes.get(0));
        nodes.get(1).start();
        nodes.get(2).start();
        nodes.forEach(BrowserIT::awaitUp);
        Files.createDirectories(screenshots);
        profile = Files.createTempDirectory("gossipcache-chromium-");
        browser = chromium(profile);
    }

    @AfterAll
    void stopAll() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        nodes.forEach(SampleNode::stop);
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void thePageShowsTheClusterLiveAndItsControlsWork() throws Exception {
        // one tab per node
        List<String> tabs = new ArrayList<>();
        for (SampleNode node : nodes) {
            if (!tabs.isEmpty()) {
                browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            }
            browser.get(node.baseUrl() + "/");
            tabs.add(browser.getWindowHandle());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            on(tabs.get(i));
            waitFor(PAGE, "3 members on " + nodes.get(i).label, () -> memberRows().size() == 3);
            names.add(browser.findElement(By.id("node")).getText());
            assertThat(browser.findElement(By.cssSelector("#members tr.self")).getText()).contains("this node");
            assertThat(browser.findElement(By.id("mode")).getText()).isEqualTo("CLUSTERED");
        }
        assertThat(names).doesNotHaveDuplicates();
        screenshot("1-three-members");

        // a key put through node 1's page shows on node 2's
        on(tabs.get(0));
        browser.findElement(By.id("key")).sendKeys("from-the-browser");
        browser.findElement(By.id("value")).sendKeys("hello");
        browser.findElement(By.id("put")).click();
        waitFor(PAGE, "the put answered", () -> browser.findElement(By.id("result")).getText().startsWith("PUT 200"));
        on(tabs.get(1));
        waitFor(PAGE, "the key on node 2's page",
                () -> !browser.findElements(By.cssSelector("#keys li[data-key='from-the-browser']")).isEmpty());
        screenshot("2-key-on-node-2");

        // node 3 is killed: it leaves the other pages within the failure-detection time (its own tab goes first)
        on(tabs.get(2));
        checkConsole(nodes.get(2).label);
        browser.close();
        long killed = System.nanoTime();
        nodes.get(2).kill9();
        for (int i = 0; i < 2; i++) {
            on(tabs.get(i));
            waitFor(FD_TIMEOUT.plus(FD_VERIFY).plus(PAGE), names.get(2) + " gone from " + nodes.get(i).label,
                    () -> memberRows().size() == 2 && memberRow(names.get(2)).isEmpty());
        }
        System.out.printf("[browser] kill -9 of %s: off both pages after %d ms%n", names.get(2),
                (System.nanoTime() - killed) / 1_000_000);
        on(tabs.get(0));
        screenshot("3-after-kill");

        // node 2 switches to LOCAL through its page: its page and node 1's show it
        on(tabs.get(1));
        browser.findElement(By.id("to-local")).click();
        waitFor(PAGE, "LOCAL on node 2's page", () -> browser.findElement(By.id("mode")).getText().equals("LOCAL"));
        screenshot("4-node-2-local");
        on(tabs.get(0));
        waitFor(PAGE.plus(PAGE), "node 2 LOCAL on node 1's page", () -> memberRows().size() == 1
                && browser.findElement(By.id("outside")).getAttribute("data-nodes").contains(names.get(1) + ":LOCAL"));
        screenshot("5-node-1-sees-node-2-local");

        // and back
        on(tabs.get(1));
        browser.findElement(By.id("to-clustered")).click();
        on(tabs.get(0));
        waitFor(PAGE.plus(PAGE), "node 2 back on node 1's page", () -> memberRows().size() == 2
                && memberRow(names.get(1)).map(r -> r.getText().contains("CLUSTERED")).orElse(false));
        waitFor(PAGE, "the events on node 1's page", () -> {
            String events = browser.findElement(By.id("events")).getText();
            return events.contains(names.get(1) + " joined") && events.contains(names.get(2) + " left");
        });
        screenshot("6-events");
        checkConsole(nodes.get(0).label);
        on(tabs.get(1));
        checkConsole(nodes.get(1).label);
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // headless, as root, and nothing but the pages under test: no background connections of the browser's own
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private void on(String tab) {
        browser.switchTo().window(tab);
    }

    private List<WebElement> memberRows() {
        return browser.findElements(By.cssSelector("#members tr"));
    }

    private java.util.Optional<WebElement> memberRow(String name) {
        return memberRows().stream().filter(r -> name.equals(r.getAttribute("data-member"))).findFirst();
    }

    private void waitFor(Duration atMost, String what, java.util.function.BooleanSupplier condition) {
        try {
            org.awaitility.Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(100))
                    .ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition::getAsBoolean);
        } catch (RuntimeException e) {
            screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw e;
        }
    }

    private void screenshot(String name) {
        try {
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(screenshots.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails on any error the page's console got (a failed request, a script error). */
    private void checkConsole(String page) {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertThat(errors).as("console errors on %s's page", page).isEmpty();
    }

    private static void awaitUp(SampleNode node) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().alias(node.label + " up " + node.logHint())
                .until(() -> Http.get(node.baseUrl() + "/actuator/health").status() == 200
                        && Http.get(node.baseUrl() + "/cluster/self").status() == 200);
    }
}
