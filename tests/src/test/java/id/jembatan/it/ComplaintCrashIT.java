package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.sandbox.webhook.WebhookSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Complaint;
import id.jembatan.testkit.BusProcess;
import id.jembatan.testkit.OutsideAgencies;
import id.jembatan.testkit.TestBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Complaint delivery survives a bus kill as events do ({@link CrashIT}): the default installation as README's first
 * command runs it (demo jar, embedded Artemis and PostgreSQL, complaints on), with bansos' webhook as a receiver in
 * this JVM that outlives the bus. The citizen portal files social-assistance complaints (routed to bansos) with four
 * writers; a complaint not answered is filed again with the same complaint id, as a portal retries.
 *
 * <p>The bus is killed with SIGKILL twice and started again on the same data folder each time: during filing (a
 * quarter of the complaints answered, writers in full flow: complaints in the database's outbox, on the broker and in
 * delivery), and while bansos refuses every request (503), so that the complaints filed meanwhile wait on the broker.
 * Result: every complaint answered 202 (or 200, filed before) has one tracking number and is still there after the
 * restarts; bansos received each exactly once as {@code ComplaintSubmitted} (one delivery id each, repeats ignored by
 * its idempotency key); the audit chain verifies.
 */
class ComplaintCrashIT {

    private static final int FIRST = 60;
    private static final int SECOND = 20;
    private static final int WRITERS = 4;
    private static final Path BUS_JAR = Path.of("..", "sandboxes", "target", "jembatan-demo.jar");
    private static final String PORTAL_KEY = "demo-citizen-portal-key";
    private static final String OPERATOR_KEY = "demo-operator-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static Path workDir;
    private static OutsideAgencies agencies;
    private static WebhookSandbox webhooks;
    private static TestBus busSettings;
    private static volatile BusProcess bus;
    private static int starts;

    private final CitizenFixtures fixtures = new CitizenFixtures();
    /** Complaint id to the tracking number the bus answered. */
    private final Map<String, String> answered = new ConcurrentHashMap<>();

    @BeforeAll
    static void startAgencies() throws Exception {
        workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "complaint-crash-")
                .toAbsolutePath();
        agencies = OutsideAgencies.start();
        webhooks = agencies.webhooks();
        busSettings = TestBus.named("complaint-crash-it", 0).dataDir(workDir.resolve("data")).deliveringTo(agencies)
                .with("jembatan.complaints.outbox-poll-interval", "100ms")
                .with("jembatan.complaints.delivery.redelivery-delay", "100ms")
                .with("jembatan.complaints.delivery.maximum-redelivery-delay", "500ms");
        startBus();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (bus != null) {
            bus.close();
        }
        if (agencies != null) {
            agencies.close();
        }
    }

    private static void startBus() throws IOException, InterruptedException {
        starts++;
        bus = busSettings.startProcess(BUS_JAR, workDir.resolve("console-" + starts + ".out"),
                "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", Map.of(), 180);
    }

    @Test
    void everyComplaintAnsweredIsDeliveredOnceAcrossKills() throws Exception {
        List<Complaint> first = complaints(FIRST);
        List<Future<?>> filing = file(first);
        await("a quarter of the complaints answered").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(5)).until(() -> answered.size() >= FIRST / 4);
        bus.kill();
        startBus();
        for (Future<?> f : filing) {
            f.get();
        }

        agencies.failWith(503);
        List<Complaint> second = complaints(SECOND);
        for (Future<?> f : file(second)) {
            f.get();
        }
        await("bansos refusing the waiting complaints").atMost(Duration.ofMinutes(1))
                .until(() -> webhooks.failedRequests() > 0);
        bus.kill();
        startBus();
        agencies.failWith(0);

        assertThat(answered).hasSize(FIRST + SECOND);
        assertThat(answered.values()).doesNotHaveDuplicates();
        await("every complaint delivered to bansos").atMost(Duration.ofMinutes(2))
                .until(() -> deliveredTrackingNumbers().keySet().containsAll(answered.values()));
        Map<String, Long> deliveries = deliveredTrackingNumbers();
        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(answered.values());
        assertThat(deliveries.values()).as("one delivery per complaint").containsOnly(1L);
        for (String tracking : answered.values()) {
            HttpResponse<String> view = send(request("/api/v1/complaints/" + tracking, PORTAL_KEY).GET());
            assertThat(view.statusCode()).as(tracking + ": " + view.body()).isEqualTo(200);
        }
        HttpResponse<String> verify = send(request("/api/v1/audit/verify", OPERATOR_KEY)
                .timeout(Duration.ofSeconds(60)).GET());
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        assertThat(JSON.readTree(verify.body()).path("valid").asBoolean()).as(verify.body()).isTrue();
        System.out.printf("ComplaintCrashIT: 2 kills, %d complaints delivered once each; refused requests while"
                + " bansos was down: %d%n", answered.size(), webhooks.failedRequests());
    }

    /** The tracking numbers of the complaints bansos accepted, each with how many deliveries it accepted for it. */
    private static Map<String, Long> deliveredTrackingNumbers() {
        return webhooks.received("bansos").stream()
                .filter(w -> "ComplaintSubmitted".equals(w.eventType()))
                .collect(Collectors.groupingBy(ComplaintCrashIT::trackingNumber, Collectors.counting()));
    }

    private static String trackingNumber(ReceivedWebhook webhook) {
        try {
            return JSON.readTree(webhook.body()).path("trackingNumber").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Complaint> complaints(int count) {
        List<Complaint> complaints = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            complaints.add(fixtures.complaint(fixtures.citizen(), "SOCIAL_ASSISTANCE"));
        }
        return complaints;
    }

    /** Files the complaints with the writers, each until it is answered. */
    private List<Future<?>> file(List<Complaint> complaints) {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            List<Complaint> mine = new ArrayList<>();
            for (int c = w; c < complaints.size(); c += WRITERS) {
                mine.add(complaints.get(c));
            }
            work.add(writers.submit(() -> {
                for (Complaint complaint : mine) {
                    fileUntilAnswered(complaint);
                }
                return null;
            }));
        }
        writers.shutdown();
        return work;
    }

    /** Posts until answered 202 or 200 (filed before), across a kill: an unanswered complaint is filed again. */
    private void fileUntilAnswered(Complaint complaint) throws InterruptedException, IOException {
        String body = CitizenFixtures.json(complaint);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = send(request("/api/v1/complaints", PORTAL_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
                if (response.statusCode() == 202 || response.statusCode() == 200) {
                    JsonNode state = JSON.readTree(response.body());
                    String earlier = answered.putIfAbsent(complaint.complaintId().toString(),
                            state.path("trackingNumber").asText());
                    assertThat(earlier == null || earlier.equals(state.path("trackingNumber").asText()))
                            .as("the same complaint keeps its tracking number").isTrue();
                    return;
                }
                if (response.statusCode() < 500) {
                    throw new AssertionError("complaint answered " + response.statusCode() + ": " + response.body());
                }
            } catch (UncheckedIOException e) {
                // the bus died under the request, or is not up again yet: the portal files it again
            }
            Thread.sleep(50); // a portal's retry interval, not a wait for a condition
        }
        throw new AssertionError("complaint " + complaint.complaintId() + " was not answered within 3 minutes");
    }

    private static HttpRequest.Builder request(String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bus.httpPort() + path))
                .header("X-API-Key", key).timeout(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
