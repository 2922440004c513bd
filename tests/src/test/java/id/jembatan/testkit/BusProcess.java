package id.jembatan.testkit;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The bus as operators run it: {@code java -jar} of the production jar (or of the demo jar, with the demo agencies)
 * in a process of its own (so that its resident memory is its own, and so that a test can kill it), started by
 * {@link TestBus#startProcess}; its console output goes to a file. Used by the benchmark and by the end-to-end tests
 * of a deployment and of crashes.
 */
public final class BusProcess implements AutoCloseable {

    private static final Pattern TOMCAT_STARTED = Pattern.compile("Tomcat started on ports? (\\d+)");
    /** Spring Boot's line once the application has started, every server of it listening. */
    private static final String APPLICATION_STARTED = "Started JembatanApplication in ";

    final Process process;
    final int httpPort;
    final List<String> command;

    private BusProcess(Process process, int httpPort, List<String> command) {
        this.process = process;
        this.httpPort = httpPort;
        this.command = command;
    }

    /**
     * Starts {@code java [jvmArgs] -jar <jar> [arguments]} with {@code environment} added to this process's, and waits
     * until {@code /actuator/health} answers 200. The HTTP port is the one the bus bound ({@code server.port=0}),
     * read back from its console output; {@link TestBus#startProcess} gives the arguments.
     */
    static BusProcess start(Path jar, Path consoleFile, String jvmArgs, List<String> arguments,
                            Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!jvmArgs.isBlank()) {
            java.addAll(Arrays.asList(jvmArgs.split("\\s+")));
        }
        java.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        return start(jar, java, consoleFile, arguments, environment, timeoutSeconds);
    }

    /**
     * Starts the launcher built beside a jar ({@code sandboxes/target/jembatan-demo}, {@code config/target/jembatan-exec})
     * with these arguments, this JDK ({@code JAVA_HOME}) and {@code environment} added to this process's
     * ({@code JAVA_OPTS} reaches the JVM), and waits until {@code /actuator/health} answers 200. The launcher execs
     * java: the process is the bus's JVM.
     */
    static BusProcess startLauncher(Path launcher, Path consoleFile, List<String> arguments,
                                    Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        Map<String, String> env = new java.util.LinkedHashMap<>(environment);
        env.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        return start(launcher, List.of(launcher.toAbsolutePath().toString()), consoleFile, arguments, env,
                timeoutSeconds);
    }

    private static BusProcess start(Path file, List<String> commandPrefix, Path consoleFile, List<String> arguments,
                                    Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no bus jar or launcher at " + file.toAbsolutePath()
                    + ": build it first (the benchmark command's -am does)");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(commandPrefix, consoleFile, arguments, environment, timeoutSeconds);
            } catch (IllegalStateException e) {
                // A port a caller fixed (an embedded store's or broker's it must know in advance) was taken before
                // the bus bound it: again. The bus's own HTTP and operator ports are bound to 0 and read back.
                if (attempt == 3 || !Files.exists(consoleFile) || !new String(Files.readAllBytes(consoleFile),
                        StandardCharsets.ISO_8859_1).contains("BindException: Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static BusProcess startOnce(List<String> commandPrefix, Path consoleFile, List<String> arguments,
                                        Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add("--logging.file.name=" + consoleFile.resolveSibling("bus-process.log"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(consoleFile.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        // A test or benchmark JVM that is stopped (Ctrl-C, SIGTERM, a CI timeout) takes its bus process with it,
        // instead of leaving it running and holding its ports.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "bus-process-reaper"));
        try {
            int httpPort = awaitPort(process, consoleFile, timeoutSeconds);
            BusProcess bus = new BusProcess(process, httpPort, command);
            bus.awaitHealthy(timeoutSeconds);
            return bus;
        } catch (RuntimeException | InterruptedException e) {
            new BusProcess(process, 0, command).close();
            throw e;
        }
    }

    /**
     * The HTTP port the bus bound, from Spring Boot's line in its console output ({@code Tomcat started on ports
     * 41611 (http), 37591 (http)}: the API's port first, the operator port after it), the last such line before the
     * application's "Started" line (the demo jar starts the demo authorization server's Tomcat first). Spring Boot 3.5
     * has no listener that writes it to a file on request any more.
     */
    private static int awaitPort(Process process, Path consoleFile, int timeoutSeconds) {
        return await("the bus process binding its HTTP port").atMost(Duration.ofSeconds(timeoutSeconds))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the bus process exited with " + process.exitValue()
                                + " during start; see its console file");
                    }
                    try {
                        String console = Files.readString(consoleFile, StandardCharsets.ISO_8859_1);
                        int ready = console.indexOf(APPLICATION_STARTED);
                        if (ready < 0) {
                            return 0; // the application's own server starts last: wait for all of them
                        }
                        // The last server started before the application was: the bus's (a demo jar also starts
                        // the demo authorization server's Tomcat before it).
                        Matcher started = TOMCAT_STARTED.matcher(console.substring(0, ready));
                        int port = 0;
                        while (started.find()) {
                            port = Integer.parseInt(started.group(1));
                        }
                        return port;
                    } catch (IOException e) {
                        return 0; // not written yet
                    }
                }, port -> port > 0);
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
