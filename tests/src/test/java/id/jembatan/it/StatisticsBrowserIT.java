package id.jembatan.it;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Anyone opens the statistics page in a real browser (headless Chromium, no key, no credentials) for 2012's births in
 * a province where the test registered 12 births in May and 2 in June, all in one regency. Result: the page draws a
 * chart by month and a chart by regency (ECharts canvases), its table shows May and June withheld (June's 2 is below
 * 10, May withheld with it so that June cannot be worked out) and the total 14, and every resource the page loaded
 * came from the bus itself. A screenshot goes to {@code target/statistics-screenshots/}. Where no browser is
 * installed the test is skipped, saying why, unless {@code JEMBATAN_BROWSER_TESTS=required}.
 */
class StatisticsBrowserIT extends StatisticsTestSupport {

    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "statistics-screenshots");

    @Test
    void thePageChartsAndListsTheFiguresWithTheWithheldOnesMarked() throws Exception {
        String regency = birthsInOneRegency(Map.of(
                OffsetDateTime.of(2012, 5, 10, 9, 0, 0, 0, ZoneOffset.ofHours(7)), 12,
                OffsetDateTime.of(2012, 6, 10, 9, 0, 0, 0, ZoneOffset.ofHours(7)), 2));
        String origin = "http://127.0.0.1:" + port;
        try (ConsoleBrowser browser = ConsoleBrowser.open(null)) {
            ChromeDriver page = browser.driver();
            page.get(origin + "/statistics/index.html?type=BirthRegistered&year=2012&region="
                    + regency.substring(0, 2));
            await().atMost(PAGE_TIMEOUT).until(() -> !"loading".equals(
                    page.findElement(By.tagName("body")).getAttribute("data-state")));
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve("statistics-page.png"), page.getScreenshotAs(OutputType.BYTES));

            assertThat(page.findElement(By.tagName("body")).getAttribute("data-state"))
                    .as(page.findElement(By.id("message")).getText()).isEqualTo("ready");
            assertThat(page.findElements(By.cssSelector("#by-month canvas"))).isNotEmpty();
            assertThat(page.findElements(By.cssSelector("#by-region canvas"))).isNotEmpty();
            assertThat(figure(page, "2012-04")).isEqualTo("0");
            assertThat(figure(page, "2012-05")).isEqualTo("disembunyikan / withheld");
            assertThat(figure(page, "2012-06")).isEqualTo("disembunyikan / withheld");
            assertThat(figure(page, "TOTAL")).isEqualTo("14");
            @SuppressWarnings("unchecked")
            List<String> loaded = (List<String>) page.executeScript(
                    "return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
            assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin + "/"));
        }
    }

    private static String figure(ChromeDriver page, String key) {
        return page.findElement(By.cssSelector("#figures tr[data-key='" + key + "'] td:nth-child(2)")).getText();
    }
}
