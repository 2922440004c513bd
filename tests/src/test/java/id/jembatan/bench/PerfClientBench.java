package id.jembatan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.config.BrokerConfiguration;
import id.jembatan.testkit.TestBus;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.utils.VersionLoader;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The limit row: the broker's own load generator, {@code artemis perf client} (artemis-cli of the bus's Artemis
 * version, a process of its own), against a broker started from the bus's {@code broker.xml} (the same journal type,
 * buffer and sync settings) with a TCP acceptor, journal in a temporary folder: persistent 1 KiB messages through one
 * durable queue, at most 100 unacknowledged sends, one producer and one consumer, as the outside check ran
 * it. The figure is what the broker itself can carry on this machine, the ceiling the bus's rows are read against.
 */
final class PerfClientBench {

    private static final String QUEUE = "perf.limit";

    private PerfClientBench() {
    }

    static Map<String, Object> run(int warmupSeconds, int seconds, Path outputDir, int timeoutSeconds)
            throws Exception {
        Path dir = Files.createTempDirectory("jembatan-bench-limit-");
        EmbeddedActiveMQ broker = startBroker(dir);
        try {
            int port = TestBus.tcpAcceptor(broker);
            Path json = outputDir.resolve("perf-client.json").toAbsolutePath();
            Path console = outputDir.resolve("perf-client.out").toAbsolutePath();
            Files.deleteIfExists(json);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", perfClientClassPath(),
                    "org.apache.activemq.artemis.cli.Artemis", "perf", "client",
                    "--url", "tcp://127.0.0.1:" + port,
                    "--persistent", "--message-size", "1024", "--max-pending", "100",
                    "--warmup", Integer.toString(warmupSeconds), "--duration", Integer.toString(seconds),
                    "--json", json.toString(),
                    "queue://" + QUEUE));
            long brokerCpuStart = Stats.cpuNanos("self");
            Process client = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(console.toFile()).start();
            if (!client.waitFor(warmupSeconds + seconds + timeoutSeconds, TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new IllegalStateException("artemis perf client did not finish; its output: " + console);
            }
            long brokerCpu = Stats.cpuNanos("self") - brokerCpuStart;
            if (client.exitValue() != 0 || !Files.exists(json)) {
                throw new IllegalStateException("artemis perf client failed (exit " + client.exitValue()
                        + "); its output: " + console);
            }
            return result(new ObjectMapper().readTree(json.toFile()), brokerCpu, seconds + warmupSeconds);
        } finally {
            broker.stop();
            BusBenchmark.deleteQuietly(dir);
        }
    }

    /**
     * The benchmark's class path without the bus's Jakarta flavour of the Artemis client: artemis-cli speaks JMS 2
     * ({@code javax.jms}, artemis-jms-client), whose classes have the same names.
     */
    private static String perfClientClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("artemis-jakarta-"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static EmbeddedActiveMQ startBroker(Path dir) throws Exception {
        FileConfiguration config = BrokerConfiguration.fromBrokerXml("bench-limit", dir);
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:0");
        // The broker's limit, not the bus's sign-in: the perf client connects without a user.
        config.setSecurityEnabled(false);
        config.addQueueConfiguration(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        return broker;
    }

    /**
     * The perf client's report: a JSON array of one sample a second (warm-up ones marked) and a summary. Messages
     * sent and received per second over the measured samples; the summary's transfer time (send to receive).
     */
    private static Map<String, Object> result(JsonNode report, long brokerCpuNanos, int seconds) {
        long measuredFrom = Long.MIN_VALUE;
        long measuredTo = Long.MIN_VALUE;
        long sent = 0;
        long received = 0;
        JsonNode summary = null;
        for (JsonNode sample : report) {
            String type = sample.path("sampleType").asText();
            if ("summary".equals(type)) {
                summary = sample;
            } else if (sample.path("warmup").asBoolean()) {
                measuredFrom = sample.path("time").asLong();
            } else {
                measuredTo = sample.path("time").asLong();
                sent += sample.path("sent").asLong();
                received += sample.path("received").asLong();
            }
        }
        if (summary == null || !"success".equals(summary.path("result").asText()) || measuredTo <= measuredFrom) {
            throw new IllegalStateException("artemis perf client: no successful measured samples in its report");
        }
        long millis = measuredTo - measuredFrom;
        JsonNode transfer = summary.path("totalTransferTime");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "artemis perf client --persistent --message-size 1024 --max-pending 100 (artemis-cli "
                + VersionLoader.getVersion().getFullVersion() + "), one producer, one consumer, TCP");
        result.put("messagesPerSecond", Math.round(received * 1000.0 / millis * 10) / 10.0);
        result.put("sentPerSecond", Math.round(sent * 1000.0 / millis * 10) / 10.0);
        result.put("measuredSeconds", millis / 1000.0);
        result.put("transferMillis", Map.of("p50", transfer.path("50").asLong() / 1000.0,
                "p99", transfer.path("99").asLong() / 1000.0));
        result.put("brokerCoresBusy", Math.round(brokerCpuNanos / (seconds * 1e9) * 100) / 100.0);
        return result;
    }
}
