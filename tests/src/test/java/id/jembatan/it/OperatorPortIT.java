package id.jembatan.it;

import id.jembatan.api.HttpSettings;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.schema.model.BirthRegistered;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operators' port: its own request threads, serving only health, the console, metrics and the operator calls.
 */
class OperatorPortIT extends BusTestSupport {

    /** How quickly health must answer however busy the agencies' port is. */
    private static final Duration QUICKLY = Duration.ofSeconds(2);

    @Autowired
    private ServletWebServerApplicationContext context;

    @Autowired
    private HttpSettings http;

    /**
     * The civil registry (with its key) opens more slow uploads than the main port has request threads, each sending
     * a byte every 200 ms. Result: every request thread of the main port is taken; meanwhile the operator port answers
     * {@code /actuator/health/bus} (UP) and the operator call {@code GET /api/v1/operations/agencies} within 2 s.
     * Each upload is cut off with 408 once the body's time is up, and the main port answers lookups again.
     */
    @Test
    void healthAndOperatorCallsAnswerWhileSlowUploadsHoldEveryRequestThread() throws Exception {
        BirthRegistered birth = citizens.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        ThreadPoolExecutor requestThreads = requestThreads(port);
        int uploads = requestThreads.getMaximumPoolSize() + 8;
        Duration bodyTimeout = http.requestBodyTimeout();
        String head = "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + CIVIL_REGISTRY_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n";
        RawHttp.Request slowUpload = RawHttp.Request.of(head)
                .withBody(RawHttp.repeat(RawHttp.ascii(" "), 60_000), Duration.ofMillis(200));

        ExecutorService clients = Executors.newFixedThreadPool(uploads);
        try {
            List<CompletableFuture<RawHttp.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> RawHttp.send(port, slowUpload,
                        bodyTimeout.multipliedBy(3).plusSeconds(10)), clients));
            }
            await("every request thread of the main port taken").atMost(bodyTimeout)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> requestThreads.getActiveCount() == requestThreads.getMaximumPoolSize());

            long asked = System.nanoTime();
            HttpResponse<String> health = send(HttpRequest.newBuilder(operatorUri("/actuator/health/bus"))
                    .timeout(QUICKLY).GET());
            HttpResponse<String> operations = send(HttpRequest.newBuilder(
                    operatorUri("/api/v1/operations/agencies")).header("X-API-Key", OPERATOR_KEY).timeout(QUICKLY)
                    .GET());
            Duration took = Duration.ofNanos(System.nanoTime() - asked);
            assertThat(requestThreads.getActiveCount()).as("main port still saturated")
                    .isEqualTo(requestThreads.getMaximumPoolSize());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(read(health).get("status").asText()).isEqualTo("UP");
            assertThat(operations.statusCode()).isEqualTo(200);
            assertThat(took).isLessThan(QUICKLY);

            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(bodyTimeout.multipliedBy(3).plusSeconds(15).toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<RawHttp.Answer> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(408);
                assertThat(answer.get().closedAfter()).isNotNull();
            }
        } finally {
            clients.shutdownNow();
        }
        HttpResponse<String> lookup = get("/api/v1/citizens/" + birth.citizen().nik()
                + "?purpose=TAXPAYER_REGISTRATION", TAX_KEY);
        assertThat(lookup.statusCode()).isEqualTo(200);
    }

    /**
     * An agency calls a lookup, and FHIR, on the operator port. Result: 404 (problem+json, an OperationOutcome
     * under /fhir): agencies' traffic cannot take the operators' threads. Health and the console answer there, the
     * console only to an operator.
     */
    @Test
    void theOperatorPortServesOperatorsOnly() {
        HttpResponse<String> lookup = send(HttpRequest.newBuilder(operatorUri("/api/v1/citizens/"
                + citizens.citizen().nik() + "?purpose=TAXPAYER_REGISTRATION")).header("X-API-Key", TAX_KEY).GET());
        HttpResponse<String> fhir = send(HttpRequest.newBuilder(operatorUri("/fhir/metadata"))
                .header("X-API-Key", HEALTH_KEY).GET());

        assertThat(lookup.statusCode()).isEqualTo(404);
        assertThat(lookup.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
        assertThat(read(lookup).get("code").asText()).isEqualTo("RESOURCE_NOT_FOUND");
        assertThat(fhir.statusCode()).isEqualTo(404);
        assertThat(HealthFhir.context().newJsonParser().parseResource(OperationOutcome.class, fhir.body())
                .getIssueFirstRep().getDiagnostics()).startsWith("RESOURCE_NOT_FOUND:");

        assertThat(send(HttpRequest.newBuilder(operatorUri("/actuator/health")).GET()).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(operatorUri("/actuator/prometheus")).GET()).statusCode())
                .isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(operatorUri("/actuator/prometheus"))
                .header("X-API-Key", OPERATOR_KEY).GET()).statusCode()).isEqualTo(200);
    }

    /** The request threads of the connector listening on {@code localPort}. */
    private ThreadPoolExecutor requestThreads(int localPort) {
        Connector connector = Arrays.stream(((TomcatWebServer) context.getWebServer()).getTomcat().getService()
                        .findConnectors())
                .filter(c -> c.getLocalPort() == localPort).findFirst().orElseThrow();
        return (ThreadPoolExecutor) connector.getProtocolHandler().getExecutor();
    }
}
