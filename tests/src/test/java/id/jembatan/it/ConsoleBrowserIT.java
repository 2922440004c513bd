package id.jembatan.it;

import id.jembatan.schema.fixtures.CitizenFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator opens the Hawtio console in a real browser (headless Chromium, every request carrying the operator
 * key as HTTP Basic password, as a browser does once the user has typed it). Delivery to tax is paused and three
 * births are posted first. Result: the JMX tree shows our domain {@code id.jembatan}; the tax agency's MBean shows
 * its attributes with a backlog of at least 3 and {@code Paused}, and its operations; the Camel page lists our
 * routes, tax's delivery route stopped and the others started; the JMX tree shows the Artemis broker with tax's
 * queue holding the backlog. A screenshot of each page is written to {@code target/console-screenshots/} (the
 * operator guide's pictures come from there). Where no browser is installed the test is skipped, saying why,
 * unless {@code JEMBATAN_BROWSER_TESTS=required} (as {@code .ci/run} sets it).
 */
class ConsoleBrowserIT extends BusTestSupport {

    @Value("${jembatan.broker.name}")
    String brokerName;

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    /** Generous: in the full suite the JVM holds the MBeans of several buses, and the console lists them all. */
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(90);
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @Test
    void theConsoleShowsOurMBeansCamelRoutesAndTheBroker() throws Exception {
        ObjectName tax = new ObjectName("id.jembatan:type=Agency,name=tax");
        CitizenFixtures fixtures = new CitizenFixtures();
        // Skipped (with the reason) where no browser is installed, unless JEMBATAN_BROWSER_TESTS=required.
        ConsoleBrowser browser = ConsoleBrowser.open(OPERATOR_KEY);
        JMX.invoke(tax, "pause", null, null);
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(fixtures.birth())).statusCode())
                        .isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> (Long) JMX.getAttribute(tax, "Backlog") >= 3);
            ChromeDriver page = browser.driver();

            page.get(console("/jmx"));
            selectInTree(page, "id.jembatan", "Agency", "tax");
            await().atMost(PAGE_TIMEOUT).untilAsserted(() -> assertThat(page.findElement(By.tagName("main"))
                    .getText()).contains("Backlog", "Paused", "DeadLetters", "Delivered"));
            long backlog = (Long) JMX.getAttribute(tax, "Backlog");
            assertThat(tableRow(page, "Backlog")).isEqualToNormalizingWhitespace("Backlog " + backlog);
            assertThat(tableRow(page, "Paused")).isEqualToNormalizingWhitespace("Paused true");
            screenshot(page, "hawtio-jembatan-agency.png");
            page.findElement(By.xpath("//main//a[normalize-space()='Operations']")).click();
            await().atMost(PAGE_TIMEOUT).untilAsserted(() -> assertThat(page.findElement(By.tagName("main"))
                    .getText()).contains("pause()", "resume()", "replayDeadLetters()", "purgeDeadLetters()"));
            screenshot(page, "hawtio-jembatan-agency-operations.png");

            page.get(console("/camel/routes"));
            for (String route : new String[]{"health-deliver-batch",
                    "licensing-deliver-batch"}) {
                assertThat(tableRow(page, route)).as(route).contains("Started");
            }
            // Pausing an agency stops its delivery route: its queue keeps the events.
            assertThat(tableRow(page, "tax-deliver-batch")).contains("Stopped");
            screenshot(page, "hawtio-camel-routes.png");

            page.get(console("/jmx"));
            // This bus's broker: other test buses in this JVM register their brokers' MBeans too.
            selectInTree(page, "org.apache.activemq.artemis", brokerName,
                    "addresses", "citizen.events", "queues", "multicast", "tax");
            assertThat(tableRow(page, "MessageCount")).isEqualToNormalizingWhitespace("MessageCount " + backlog);
            page.executeScript("arguments[0].scrollIntoView({block: 'center'})", page.findElement(row("MessageCount")));
            screenshot(page, "hawtio-artemis-queue.png");
        } catch (AssertionError | RuntimeException e) {
            // What the browser showed when it went wrong, beside the screenshots.
            screenshot(browser.driver(), "failure.png");
            Files.writeString(SCREENSHOTS.resolve("failure.html"), browser.driver().getPageSource());
            throw e;
        } finally {
            JMX.invoke(tax, "resume", null, null);
            browser.close();
        }
    }

    private String console(String path) {
        return "http://127.0.0.1:" + port + "/actuator/hawtio" + path;
    }

    /**
     * Opens the folders of Hawtio's JMX tree (a PatternFly tree view) one after the other and selects the last
     * node, each looked for inside the previous one, once it is shown.
     */
    private static void selectInTree(ChromeDriver page, String... labels) {
        SearchContext folder = page;
        for (int i = 0; i < labels.length; i++) {
            By item = By.xpath("./descendant::li[contains(@class,'tree-view__list-item')][./div//button["
                    + "contains(@class,'tree-view__node-text') and normalize-space()='" + labels[i] + "']][1]");
            SearchContext parent = folder;
            await().atMost(PAGE_TIMEOUT).until(() -> !parent.findElements(item).isEmpty());
            WebElement node = parent.findElement(item);
            if (i < labels.length - 1) {
                if (!"true".equals(node.getAttribute("aria-expanded"))) {
                    node.findElement(By.xpath("./div//button[contains(@class,'tree-view__node-toggle')]")).click();
                }
            } else {
                node.findElement(By.xpath("./div//button[contains(@class,'tree-view__node-text')]")).click();
            }
            folder = node;
        }
    }

    /** The text of the row of the page's table that has a cell with the given name, once it is shown. */
    private static String tableRow(ChromeDriver page, String name) {
        await().atMost(PAGE_TIMEOUT).until(() -> !page.findElements(row(name)).isEmpty());
        return page.findElement(row(name)).getText();
    }

    private static By row(String name) {
        return By.xpath("//main//tr[td[normalize-space()='" + name + "']]");
    }

    private static void screenshot(ChromeDriver page, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), page.getScreenshotAs(OutputType.BYTES));
    }
}
