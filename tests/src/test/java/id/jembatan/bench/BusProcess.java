package id.jembatan.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bus as operators run it: {@code java -jar jembatan-exec.jar} in a process of its own (so that its resident
 * memory is its own), on the benchmark's data folder, with free ports; its console output goes to a file.
 */
final class BusProcess implements AutoCloseable {

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
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no bus jar at " + jar.toAbsolutePath()
                    + ": build it first (the benchmark command's -am does)");
        }
        int httpPort = InProcessBus.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!jvmArgs.isBlank()) {
            command.addAll(Arrays.asList(jvmArgs.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + httpPort,
                "--jembatan.data-dir=" + dataDir,
                "--jembatan.broker.port=" + InProcessBus.freePort(),
                "--jembatan.sandbox.tax-port=" + InProcessBus.freePort(),
                "--jembatan.sandbox.health-port=" + InProcessBus.freePort(),
                "--jembatan.sandbox.webhook-port=" + InProcessBus.freePort(),
                "--logging.file.name=" + consoleFile.resolveSibling("bus-process.log")));
        if (!extraArgs.isBlank()) {
            command.addAll(Arrays.asList(extraArgs.split("\\s+")));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(consoleFile.toFile()).start();
        BusProcess bus = new BusProcess(process, httpPort, command);
        try {
            bus.awaitHealthy(timeoutSeconds);
        } catch (RuntimeException | InterruptedException e) {
            bus.close();
            throw e;
        }
        return bus;
    }

    long pid() {
        return process.pid();
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

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: Spring Boot shuts down in order
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
