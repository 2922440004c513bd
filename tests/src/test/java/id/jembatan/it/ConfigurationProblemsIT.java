package id.jembatan.it;

import id.jembatan.testkit.TestBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an integrator sees who starts the bus ({@code java -jar jembatan-demo.jar}, the demo profile) with a sixth
 * agency configured wrongly in several ways at once, as in a first try at docs/adding-an-agency.md, or on a machine
 * where one of its ports is taken.
 */
class ConfigurationProblemsIT {

    /** The demo jar: the demo profile and its sandboxes, one of whose ports is taken in a test. */
    private static final Path BUS_JAR = Path.of("..", "sandboxes", "target", "jembatan-demo.jar");

    @TempDir
    Path dataDir;

    /**
     * The pension fund is added as a webhook with an unknown event type, a URL without a scheme, a short signing
     * secret, its fields under the agency instead of the access policy, a misspelt delivery setting and a policy
     * naming a field that does not exist; an operator key is configured in clear. Result: the process exits with a
     * failure and prints Spring Boot's "APPLICATION FAILED TO START" summary listing all seven problems, each on a
     * line of its own starting with its key, and not a single stack trace line anywhere in its output.
     */
    @Test
    void everyProblemIsPrintedAtOnceWithoutAStackTrace() throws Exception {
        List<String> output = run(
                "--jembatan.agencies.pensions.connector=json-http",
                "--jembatan.agencies.pensions.subscribes=BirthRegistered,PensionStarted",
                "--jembatan.agencies.pensions.url=127.0.0.1:9000/pensions/events",
                "--jembatan.agencies.pensions.signing-secret=too-short",
                "--jembatan.agencies.pensions.receives=fullName",
                "--jembatan.agencies.pensions.delivery.retries=3",
                "--jembatan.access-policy.agencies.pensions.receive=fullName,pensionNumber",
                "--jembatan.operators.api-keys=demo-operator-key");

        int summary = output.indexOf("APPLICATION FAILED TO START");
        assertThat(summary).as("the failure summary in:\n%s", String.join("\n", output)).isPositive();
        List<String> problems = output.subList(summary, output.size()).stream()
                .filter(line -> line.startsWith("    - ")).map(line -> line.substring(6)).toList();
        assertThat(problems).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.receives: "),
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.delivery.retries: "),
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.subscribes: unknown event type"
                        + " 'PensionStarted'"),
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.url: "),
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.signing-secret "),
                p -> assertThat(p).startsWith("jembatan.access-policy.agencies.pensions.receive: unknown field"
                        + " 'pensionNumber'"),
                p -> assertThat(p).startsWith("jembatan.operators.api-keys: "));
        assertThat(output).as("no stack trace").noneMatch(line -> line.matches("\\s+at [\\w$.]+\\(.*")
                || line.startsWith("Caused by:"));
        assertThat(output.subList(summary, output.size())).as("no exception or class name in the summary")
                .noneMatch(line -> line.contains("Exception") || line.contains("id.jembatan."));
    }

    /**
     * The bus is started with its broker's port, or the webhook sandbox's, already taken by another program. Result:
     * the start stops with a one-line summary naming the setting that moves the port, instead of a stack trace
     * from the bus (the broker still logs its own error).
     */
    @ParameterizedTest
    @ValueSource(strings = {"jembatan.broker.port", "jembatan.sandbox.webhook-port"})
    void aPortAlreadyTakenNamesTheSettingThatMovesIt(String setting) throws Exception {
        List<String> output;
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            output = run("--" + setting + "=" + port);
        }
        int summary = output.indexOf("APPLICATION FAILED TO START");
        assertThat(summary).as("the failure summary in:\n%s", String.join("\n", output)).isPositive();
        assertThat(output.subList(summary, output.size())).filteredOn(line -> line.startsWith("    - "))
                .containsExactly("    - " + setting + ": 127.0.0.1:" + port + " is already in use (another program,"
                        + " or another bus on this machine); choose a free port, or 0 for "
                        + (setting.equals("jembatan.broker.port") ? "no TCP acceptor" : "any free port"));
        if (!setting.equals("jembatan.broker.port")) {
            assertThat(output).as("no stack trace").noneMatch(line -> line.matches("\\s+at [\\w$.]+\\(.*"));
        }
    }

    /**
     * Runs the bus with these settings, and every port not among them on 0 (any free one, or off), until it exits;
     * its console output, line by line.
     */
    private List<String> run(String... settings) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", BUS_JAR.toAbsolutePath().toString()));
        command.addAll(TestBus.named("configuration-problems", 0).dataDir(dataDir).withDemoAgenciesOnAnyPort()
                .withArguments(String.join(" ", settings)).arguments());
        Path console = dataDir.resolve("console.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile())
                .start();
        try {
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the bus stopped by itself").isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("exit status").isNotZero();
        return Files.readAllLines(console, StandardCharsets.UTF_8);
    }
}
