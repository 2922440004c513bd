package id.jembatan.it;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.util.FileSystemUtils;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A headless Chromium, driven through its chromedriver, in which every request (the console page and Hawtio's own
 * Jolokia calls) carries the operator's credentials as HTTP Basic, as a browser sends them once the operator has
 * typed them. Both programs are taken from the PATH (Debian: {@code apt-get install chromium chromium-driver}) or
 * from the system properties {@code jembatan.chromium} and {@code jembatan.chromedriver}. Without them the test is
 * skipped, unless the environment variable {@code JEMBATAN_BROWSER_TESTS=required} (set by {@code .ci/run}) makes
 * a missing browser a failure.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String REQUIRED_VARIABLE = "JEMBATAN_BROWSER_TESTS";

    private final ChromeDriver driver;
    private final Path profile;

    private ConsoleBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser whose requests carry the operator key, or nothing for {@code null} (an open page, anyone). */
    static ConsoleBrowser open(String operatorKey) {
        Optional<Path> chromium = program("jembatan.chromium", "chromium", "chromium-browser");
        Optional<Path> chromedriver = program("jembatan.chromedriver", "chromedriver");
        if (chromium.isEmpty() || chromedriver.isEmpty()) {
            String missing = "no headless browser: put chromium and chromedriver on the PATH (Debian: apt-get "
                    + "install chromium chromium-driver) or name them with -Djembatan.chromium and "
                    + "-Djembatan.chromedriver";
            if ("required".equalsIgnoreCase(System.getenv(REQUIRED_VARIABLE))) {
                throw new IllegalStateException(missing + ", and " + REQUIRED_VARIABLE + "=required");
            }
            Assumptions.abort(missing + "; the browser test is skipped");
        }
        Path profile = temporaryProfile();
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.get().toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.get().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1600, 900));
        if (operatorKey != null) {
            String credentials = Base64.getEncoder().encodeToString(("operator:" + operatorKey)
                    .getBytes(StandardCharsets.UTF_8));
            driver.executeCdpCommand("Network.enable", Map.of());
            driver.executeCdpCommand("Network.setExtraHTTPHeaders",
                    Map.of("headers", Map.of("Authorization", "Basic " + credentials)));
        }
        return new ConsoleBrowser(driver, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteProfile();
        }
    }

    private static Optional<Path> program(String property, String... names) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .flatMap(dir -> Arrays.stream(names).map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Path temporaryProfile() {
        try {
            return Files.createTempDirectory("jembatan-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteProfile() {
        try {
            FileSystemUtils.deleteRecursively(profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
