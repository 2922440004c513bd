package id.jembatan.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bus as operators run it: {@code java -jar} of the production jar (or of the demo jar, with the demo agencies)
 * in a process of its own (so that its resident memory is its own, and so that a test can kill it), on a data folder
 * of its own, with free ports; its console output goes to a file. Used by the benchmark and by the end-to-end tests
 * of a deployment and of crashes.
 */
public final class BusProcess implements AutoCloseable {

    final Process process;
    final int httpPort;
    final List<String> command;

    private BusProcess(Process process, int httpPort, List<String> command) {
        this.process = process;
        this.httpPort = httpPort;
        this.command = command;
    }

    static BusProcess start(Path jar, Path dataDir, Path consoleFile, String jvmArgs, String extraArgs,
                            int timeoutSeconds) throws IOException, InterruptedException {
        return start(jar, dataDir, consoleFile, jvmArgs,
                extraArgs.isBlank() ? List.of() : Arrays.asList(extraArgs.split("\\s+")), Map.of(), timeoutSeconds);
    }

    /**
     * Starts the bus jar with {@code extraArgs} after the defaults (they win) and {@code environment} added to this
     * process's, and waits until {@code /actuator/health} answers 200.
     */
    public static BusProcess start(Path jar, Path dataDir, Path consoleFile, String jvmArgs, List<String> extraArgs,
                                   Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no bus jar at " + jar.toAbsolutePath()
                    + ": build it first (the benchmark command's -am does)");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(jar, dataDir, consoleFile, jvmArgs, extraArgs, environment, timeoutSeconds);
            } catch (IllegalStateException e) {
                // A port found free was taken before the bus bound it (freePort() can only find one, not hold it,
                // and the benchmark's own client connections take ephemeral ports): again, with other ports.
                if (attempt == 3 || !Files.exists(consoleFile) || !new String(Files.readAllBytes(consoleFile),
                        StandardCharsets.ISO_8859_1).contains("BindException: Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static BusProcess startOnce(Path jar, Path dataDir, Path consoleFile, String jvmArgs,
                                        List<String> extraArgs, Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        int httpPort = InProcessBus.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!jvmArgs.isBlank()) {
            command.addAll(Arrays.asList(jvmArgs.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + httpPort,
                "--jembatan.data-dir=" + dataDir,
                "--logging.file.name=" + consoleFile.resolveSibling("bus-process.log")));
        // Free ports unless the caller fixed one (a setting given twice would be bound as "a,b").
        for (String port : List.of("jembatan.broker.port", "jembatan.http.operator.port", "jembatan.sandbox.tax-port",
                "jembatan.sandbox.health-port", "jembatan.sandbox.webhook-port", "jembatan.sandbox.civil-registry-port")) {
            if (extraArgs.stream().noneMatch(a -> a.startsWith("--" + port + "="))) {
                // The operator port is bound by the bus itself (0: any); the others are read back by callers.
                command.add("--" + port + "=" + (port.equals("jembatan.http.operator.port") ? 0
                        : InProcessBus.freePort()));
            }
        }
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(consoleFile.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        // A test or benchmark JVM that is stopped (Ctrl-C, SIGTERM, a CI timeout) takes its bus process with it,
        // instead of leaving it running and holding its ports.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "bus-process-reaper"));
        BusProcess bus = new BusProcess(process, httpPort, command);
        try {
            bus.awaitHealthy(timeoutSeconds);
        } catch (RuntimeException | InterruptedException e) {
            bus.close();
            throw e;
        }
        return bus;
    }

    public long pid() {
        return process.pid();
    }

    /** The port of its HTTP API. */
    public int httpPort() {
        return httpPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Ends it the hard way, as a crash or {@code kill -9} would: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitHealthy(int timeoutSeconds) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the bus process exited with " + process.exitValue()
                        + " during start; see its console file");
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the bus process was not healthy within " + timeoutSeconds + " s");
    }

    /** Stops it as an operator does (SIGTERM, an orderly shutdown), forcibly after a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: Spring Boot shuts down in order
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
