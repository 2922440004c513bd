package id.jembatan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sync phase: an operator starts the initial load of one agency with every seeded citizen in scope
 * ({@code POST /api/v1/operations/agencies/{agency}/syncs}, no throttle), and the benchmark follows the job until it
 * completes. The rate is the job's own figures: citizens delivered over the time from its start to its completion.
 */
final class SyncBench {

    private static final String OPERATOR_KEY = "demo-operator-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncBench() {
    }

    static Map<String, Object> run(InProcessBus bus, String agency, long timeoutSeconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String syncs = "http://127.0.0.1:" + bus.httpPort + "/api/v1/operations/agencies/" + agency + "/syncs";
        BusCpu.Sample cpuBefore = bus.cpu.sample();
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(syncs))
                .header("X-API-Key", OPERATOR_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"scope\": {\"all\": true}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("the sync was answered " + started.statusCode() + ": " + started.body());
        }
        String id = JSON.readTree(started.body()).get("id").asText();
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        JsonNode job;
        do {
            Thread.sleep(1000); // a benchmark's poll of the job's progress, not a test's wait
            job = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(syncs + "/" + id))
                    .header("X-API-Key", OPERATOR_KEY).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the sync did not complete within " + timeoutSeconds + " s: " + job);
            }
        } while (!job.get("state").asText().equals("COMPLETED"));
        double cpuSeconds = bus.cpu.sample().since(cpuBefore).totalNanos() / 1e9;
        double seconds = Duration.between(Instant.parse(job.get("startedAt").asText()),
                Instant.parse(job.get("finishedAt").asText())).toMillis() / 1000.0;
        long delivered = job.get("delivered").asLong();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("agency", agency);
        result.put("citizens", delivered);
        result.put("failed", job.get("failed").asLong());
        result.put("seconds", seconds);
        result.put("citizensPerSecond", delivered / seconds);
        // This JVM (bus and sinks) and the embedded PostgreSQL, over the whole job.
        result.put("cpuMillisPerCitizen", cpuSeconds * 1000 / Math.max(1, delivered));
        return result;
    }
}
