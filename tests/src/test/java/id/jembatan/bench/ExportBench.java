package id.jembatan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FHIR Bulk Data {@code $export} of the seeded index by the health agency, as a Bulk Data client does it: kick-off,
 * status polls until the manifest, then every file downloaded (and counted, not kept). The export's rate is the
 * citizens in the manifest over the time from the kick-off to the manifest (each citizen read by keyset page,
 * projected, audited, written as a Patient line); the CPU is the bus's JVM and its PostgreSQL over that time.
 */
final class ExportBench {

    private static final String HEALTH_KEY = "demo-health-key";

    /** How often the client polls: finer than the bus's Retry-After, so that the figure is not rounded to it. */
    private static final Duration POLL = Duration.ofMillis(200);

    private ExportBench() {
    }

    static Map<String, Object> run(InProcessBus bus, int timeoutSeconds) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = "http://127.0.0.1:" + bus.httpPort;
        BusCpu.Sample cpuStart = bus.cpu.sample();
        long start = System.nanoTime();
        HttpResponse<String> kickOff = http.send(HttpRequest.newBuilder(URI.create(base + "/fhir/Patient/$export"))
                .header("X-API-Key", HEALTH_KEY).header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (kickOff.statusCode() != 202) {
            throw new IllegalStateException("kick-off answered " + kickOff.statusCode() + ": " + kickOff.body());
        }
        URI status = URI.create(kickOff.headers().firstValue("Content-Location").orElseThrow());
        long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
        HttpResponse<String> poll;
        while (true) {
            poll = http.send(HttpRequest.newBuilder(status).header("X-API-Key", HEALTH_KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (poll.statusCode() != 202) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("export not complete within " + timeoutSeconds + " s: "
                        + poll.headers().firstValue("X-Progress").orElse(""));
            }
            Thread.sleep(POLL.toMillis());
        }
        long exported = System.nanoTime();
        BusCpu.Sample spent = bus.cpu.sample().since(cpuStart);
        if (poll.statusCode() != 200) {
            throw new IllegalStateException("status answered " + poll.statusCode() + ": " + poll.body());
        }
        JsonNode manifest = new ObjectMapper().readTree(poll.body());
        long citizens = 0;
        long bytes = 0;
        long lines = 0;
        for (JsonNode output : manifest.path("output")) {
            citizens += output.path("count").asLong();
            HttpResponse<InputStream> file = http.send(HttpRequest.newBuilder(URI.create(output.path("url").asText()))
                    .header("X-API-Key", HEALTH_KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = file.body()) {
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
        }
        long downloaded = System.nanoTime();
        if (lines != citizens) {
            throw new IllegalStateException("the files hold " + lines + " lines, the manifest counts " + citizens);
        }
        double exportSeconds = (exported - start) / 1e9;
        double downloadSeconds = (downloaded - exported) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("citizens", citizens);
        result.put("files", manifest.path("output").size());
        result.put("exportSeconds", exportSeconds);
        result.put("citizensPerSecond", citizens / exportSeconds);
        result.put("bytes", bytes);
        result.put("downloadSeconds", downloadSeconds);
        result.put("downloadMiBPerSecond", bytes / 1048576.0 / downloadSeconds);
        result.put("cpuMillisPerCitizen", Stats.millis(spent.totalNanos() / Math.max(1, citizens)));
        result.put("storeCpuMillisPerCitizen", Stats.millis(spent.storeNanos() / Math.max(1, citizens)));
        result.put("cpuCoresBusy", Math.round(spent.totalNanos() / (double) (exported - start) * 100) / 100.0);
        return result;
    }
}
