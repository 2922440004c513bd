package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.api.HttpSettings;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.contract.ContractValidator;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.model.BirthRegistered;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests no well-behaved client sends, over a raw socket to the running bus: broken request lines, a raw {@code |}
 * in a FHIR search, 20 KB of headers, invalid percent-encoding, search modifiers, the wrong method on the FHIR search,
 * heads and bodies that trickle in, and 64 MB of chunked form body with and without a key on PUT, PATCH, DELETE and
 * POST. The bus's limits are on the test kit's scale (request head and body within 3 s).
 *
 * <p>Result, for each: the expected status, in the caller's format (problem+json with its code under {@code /api} and
 * wherever the path could not be read, a FHIR OperationOutcome with its code under {@code /fhir}; never Tomcat's HTML
 * page), held to the published contract under {@code /api}; the answer comes and the connection is closed within a
 * bound (a slow head is cut without an answer), a body the bus refuses unread is not read (the client could not send
 * 64 MB), and the NIK in a request never reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsIT extends BusTestSupport {

    private static final String NIK_PLACEHOLDER = "{nik}";
    /** Answers to a request the bus refuses at once come within this, and the connection closes within it too. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);
    private static final long SIXTY_FOUR_MB = 64L * 1024 * 1024;

    /** A registered citizen, so that a search that ignored its modifier would find someone. */
    private static volatile String registeredNik;

    @Autowired
    private HttpSettings http;

    enum Format { PROBLEM, FHIR, NONE }

    /**
     * One hostile request: its head ({@code {nik}} stands for a registered citizen's NIK, {@code \r\n} ends lines),
     * how its body is sent, and what the bus must answer.
     */
    record Hostile(String name, String head, Body body, int status, Format format, ErrorCode code) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** How the body (or the head) is sent. */
    enum Body {
        NONE, TRICKLED_HEAD, TRICKLED_JSON, TRICKLED_FORM, CHUNKED_FORM_64_MB, CHUNKED_FORM_1_9_MB
    }

    static Stream<Hostile> hostileRequests() {
        List<Hostile> corpus = new ArrayList<>(List.of(
                new Hostile("raw | in a FHIR search, as SATUSEHAT writes it",
                        "GET /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik} HTTP/1.1\r\n"
                                + "X-API-Key: " + HEALTH_KEY + "\r\n", Body.NONE, 200, Format.FHIR, null),
                new Hostile("identifier:not= on the FHIR search",
                        "GET /fhir/Patient?identifier:not=https://fhir.kemkes.go.id/id/nik|{nik} HTTP/1.1\r\n"
                                + "X-API-Key: " + HEALTH_KEY + "\r\n", Body.NONE, 400, Format.FHIR,
                        ErrorCode.INVALID_QUERY_PARAMETER),
                new Hostile("identifier:text= on the FHIR search",
                        "GET /fhir/Patient?identifier:text=Siti HTTP/1.1\r\nX-API-Key: " + HEALTH_KEY + "\r\n",
                        Body.NONE, 400, Format.FHIR, ErrorCode.INVALID_QUERY_PARAMETER),
                new Hostile("unknown parameter on the FHIR search",
                        "GET /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik}&name=Siti HTTP/1.1\r\n"
                                + "X-API-Key: " + HEALTH_KEY + "\r\n", Body.NONE, 400, Format.FHIR,
                        ErrorCode.INVALID_QUERY_PARAMETER),
                new Hostile("PUT on the FHIR search",
                        "PUT /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik} HTTP/1.1\r\n"
                                + "X-API-Key: " + HEALTH_KEY + "\r\nContent-Length: 0\r\n", Body.NONE, 405,
                        Format.FHIR, ErrorCode.METHOD_NOT_ALLOWED),
                new Hostile("DELETE on the FHIR search",
                        "DELETE /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik} HTTP/1.1\r\n"
                                + "X-API-Key: " + HEALTH_KEY + "\r\n", Body.NONE, 405, Format.FHIR,
                        ErrorCode.METHOD_NOT_ALLOWED),
                new Hostile("PATCH on the FHIR search",
                        "PATCH /fhir/Patient/_search HTTP/1.1\r\nX-API-Key: " + HEALTH_KEY
                                + "\r\nContent-Length: 0\r\n", Body.NONE, 405, Format.FHIR,
                        ErrorCode.METHOD_NOT_ALLOWED),
                new Hostile("bad percent-encoding in a FHIR path",
                        "GET /fhir/Patient/%zz HTTP/1.1\r\nX-API-Key: " + HEALTH_KEY + "\r\n", Body.NONE, 400,
                        Format.FHIR, ErrorCode.REQUEST_MALFORMED),
                new Hostile("bad percent-encoding in a FHIR query",
                        "GET /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik%7C{nik}%zz HTTP/1.1\r\n"
                                + "X-API-Key: " + HEALTH_KEY + "\r\n", Body.NONE, 400, Format.FHIR,
                        ErrorCode.INVALID_QUERY_PARAMETER),
                new Hostile("bad percent-encoding in an API path",
                        "GET /api/v1/citizens/%zz{nik}?purpose=TAXPAYER_REGISTRATION HTTP/1.1\r\n"
                                + "X-API-Key: " + TAX_KEY + "\r\n", Body.NONE, 400, Format.PROBLEM,
                        ErrorCode.REQUEST_MALFORMED),
                new Hostile("bad percent-encoding in an API query",
                        "GET /api/v1/citizens/{nik}?purpose=%zzTAXPAYER_REGISTRATION HTTP/1.1\r\n"
                                + "X-API-Key: " + TAX_KEY + "\r\n", Body.NONE, 400, Format.PROBLEM,
                        ErrorCode.INVALID_QUERY_PARAMETER),
                new Hostile("query that is not UTF-8",
                        "GET /api/v1/citizens/{nik}?purpose=%C3%28 HTTP/1.1\r\nX-API-Key: " + TAX_KEY + "\r\n",
                        Body.NONE, 400, Format.PROBLEM, ErrorCode.INVALID_QUERY_PARAMETER),
                new Hostile("20 KB of headers on the API",
                        "GET /api/v1/citizens/{nik}?purpose=TAXPAYER_REGISTRATION HTTP/1.1\r\nX-API-Key: " + TAX_KEY
                                + "\r\nX-Padding: " + "a".repeat(20_000) + "\r\n", Body.NONE, 400,
                        Format.PROBLEM, ErrorCode.REQUEST_MALFORMED),
                new Hostile("20 KB of headers on FHIR",
                        "GET /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik} HTTP/1.1\r\n"
                                + "X-API-Key: " + HEALTH_KEY + "\r\nX-Padding: " + "a".repeat(20_000) + "\r\n",
                        Body.NONE, 400, Format.FHIR, ErrorCode.REQUEST_MALFORMED),
                new Hostile("request line with an unknown HTTP version token",
                        "GET /api/v1/citizens/{nik}?purpose=TAXPAYER_REGISTRATION HTTP/1.1x\r\n", Body.NONE, 400,
                        Format.PROBLEM, ErrorCode.REQUEST_MALFORMED),
                new Hostile("request line with HTTP/1.2",
                        "GET /api/v1/citizens/{nik}?purpose=TAXPAYER_REGISTRATION HTTP/1.2\r\n", Body.NONE, 505,
                        Format.PROBLEM, ErrorCode.HTTP_VERSION_NOT_SUPPORTED),
                new Hostile("request line with an invalid method",
                        "G@T /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik} HTTP/1.1\r\n",
                        Body.NONE, 400, Format.PROBLEM, ErrorCode.REQUEST_MALFORMED),
                new Hostile("request target with a space and a control character",
                        "GET /api/v1/citizens/{nik} \u0001x HTTP/1.1\r\n", Body.NONE, 400, Format.PROBLEM,
                        ErrorCode.REQUEST_MALFORMED),
                new Hostile("unknown transfer coding",
                        "POST /api/v1/events HTTP/1.1\r\nX-API-Key: " + CIVIL_REGISTRY_KEY
                                + "\r\nTransfer-Encoding: gzip, chunked\r\nContent-Type: application/json\r\n",
                        Body.NONE, 501, Format.PROBLEM, ErrorCode.NOT_IMPLEMENTED),
                new Hostile("head trickling in, one byte at a time",
                        "GET /api/v1/citizens/{nik}?purpose=TAXPAYER_REGISTRATION HTTP/1.1\r\nX-API-Key: " + TAX_KEY
                                + "\r\nX-Padding: " + "a".repeat(400) + "\r\n", Body.TRICKLED_HEAD, 0,
                        Format.NONE, null),
                new Hostile("JSON body declared, trickling in, no key",
                        "POST /api/v1/events HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n",
                        Body.TRICKLED_JSON, 401, Format.PROBLEM, ErrorCode.AGENCY_UNAUTHENTICATED),
                new Hostile("JSON body declared over the limit, with the key",
                        "POST /api/v1/events HTTP/1.1\r\nX-API-Key: " + CIVIL_REGISTRY_KEY
                                + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n",
                        Body.TRICKLED_JSON, 413, Format.PROBLEM, ErrorCode.PAYLOAD_TOO_LARGE),
                new Hostile("JSON body trickling in, with the key",
                        "POST /api/v1/events HTTP/1.1\r\nX-API-Key: " + CIVIL_REGISTRY_KEY
                                + "\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n",
                        Body.TRICKLED_JSON, 408, Format.PROBLEM, ErrorCode.REQUEST_TIMEOUT),
                new Hostile("form PUT trickling in, no key",
                        "PUT /api/v1/events HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded"
                                + "\r\nContent-Length: 60000\r\n", Body.TRICKLED_FORM, 401, Format.PROBLEM,
                        ErrorCode.AGENCY_UNAUTHENTICATED),
                new Hostile("FHIR search form trickling in, with the key",
                        "POST /fhir/Patient/_search HTTP/1.1\r\nX-API-Key: " + HEALTH_KEY
                                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n",
                        Body.TRICKLED_FORM, 408, Format.FHIR, ErrorCode.REQUEST_TIMEOUT),
                new Hostile("1.9 MB chunked form on the FHIR search, with the key",
                        "POST /fhir/Patient/_search HTTP/1.1\r\nX-API-Key: " + HEALTH_KEY
                                + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                + "Transfer-Encoding: chunked\r\n", Body.CHUNKED_FORM_1_9_MB, 413, Format.FHIR,
                        ErrorCode.PAYLOAD_TOO_LARGE)));
        for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
            for (String path : List.of("/api/v1/events", "/fhir/Patient/_search")) {
                boolean fhir = path.startsWith("/fhir");
                String key = fhir ? HEALTH_KEY : CIVIL_REGISTRY_KEY;
                String head = method + " " + path + " HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded"
                        + "\r\nTransfer-Encoding: chunked\r\n";
                Format format = fhir ? Format.FHIR : Format.PROBLEM;
                corpus.add(new Hostile("64 MB chunked form " + method + " " + path + ", no key", head,
                        Body.CHUNKED_FORM_64_MB, 401, format, ErrorCode.AGENCY_UNAUTHENTICATED));
                corpus.add(new Hostile("64 MB chunked form " + method + " " + path + ", with the key",
                        head + "X-API-Key: " + key + "\r\n", Body.CHUNKED_FORM_64_MB, 413, format,
                        ErrorCode.PAYLOAD_TOO_LARGE));
            }
        }
        return corpus.stream();
    }

    /**
     * A hostile request (see the class). Result: the expected status in the caller's format, with its code, within a
     * bound, the connection closed; nothing the bus refused unread was read; no NIK in the log.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void isAnsweredInTheCallersFormatAndCutOffInTime(Hostile hostile, CapturedOutput log) {
        String nik = registeredNik();
        String head = hostile.head().replace(NIK_PLACEHOLDER, nik) + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";
        Duration headTimeout = http.requestHeadTimeout();
        Duration bodyTimeout = http.requestBodyTimeout();

        RawHttp.Answer answer = RawHttp.send(port, request(hostile.body(), head), Duration.ofSeconds(30));

        assertThat(answer.status()).as("status; answer: %s", answer.body()).isEqualTo(hostile.status());
        switch (hostile.body()) {
            case TRICKLED_HEAD -> {
                // Cut off without an answer once the head's time is up (the poller checks once a second).
                assertThat(answer.closedAfter()).as("connection closed").isNotNull()
                        .isBetween(headTimeout.minusMillis(500), headTimeout.plusSeconds(3));
                assertThat(answer.sentAll()).as("the whole head was sent").isFalse();
            }
            case TRICKLED_JSON, TRICKLED_FORM -> {
                if (hostile.status() == 408) {
                    assertThat(answer.answeredAfter()).as("answered once the body's time was up")
                            .isBetween(bodyTimeout, bodyTimeout.plusSeconds(3));
                } else {
                    assertThat(answer.answeredAfter()).as("answered at once").isLessThan(AT_ONCE);
                }
                assertThat(answer.closedAfter()).as("connection closed").isNotNull()
                        .isLessThan(answer.answeredAfter().plus(AT_ONCE));
            }
            case CHUNKED_FORM_64_MB, CHUNKED_FORM_1_9_MB -> {
                assertThat(answer.answeredAfter()).as("answered at once").isLessThan(AT_ONCE);
                assertThat(answer.closedAfter()).as("connection closed").isNotNull().isLessThan(AT_ONCE.plus(AT_ONCE));
                if (hostile.body() == Body.CHUNKED_FORM_64_MB) {
                    // The sockets' buffers take a few MB; had the bus read on, all 64 MB would have gone.
                    assertThat(answer.sentAll()).as("the bus read the whole body (%d bytes sent)",
                            answer.bodyBytesSent()).isFalse();
                }
            }
            case NONE -> {
                assertThat(answer.answeredAfter()).as("answered at once").isLessThan(AT_ONCE);
                assertThat(answer.closedAfter()).as("connection closed").isNotNull()
                        .isLessThan(AT_ONCE.plus(AT_ONCE));
            }
        }
        String contentType = answer.header("Content-Type");
        switch (hostile.format()) {
            case PROBLEM -> {
                assertThat(contentType).startsWith("application/problem+json");
                JsonNode problem = readTree(answer.body());
                assertThat(problem.path("code").asText()).isEqualTo(hostile.code().name());
                assertThat(problem.path("status").asInt()).isEqualTo(hostile.status());
                String target = hostile.head().replace(NIK_PLACEHOLDER, nik).split(" ")[1];
                if (target.startsWith("/api/")) {
                    String method = hostile.head().split(" ")[0];
                    String path = target.split("\\?")[0];
                    assertThat(ContractValidator.v1().violations(method, path, answer.status(),
                            HttpHeaders.of(answer.headers(), (name, value) -> true), answer.body()))
                            .as("held to the published contract").isEmpty();
                }
            }
            case FHIR -> {
                assertThat(contentType).startsWith("application/fhir+json");
                if (hostile.status() == 200) {
                    Bundle bundle = HealthFhir.context().newJsonParser().parseResource(Bundle.class, answer.body());
                    assertThat(bundle.getEntry()).hasSize(1);
                    assertThat(((Patient) bundle.getEntryFirstRep().getResource()).getIdentifier())
                            .anyMatch(id -> nik.equals(id.getValue()));
                } else {
                    OperationOutcome outcome = HealthFhir.context().newJsonParser()
                            .parseResource(OperationOutcome.class, answer.body());
                    assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                            .isEqualTo(hostile.code().name());
                    assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith(hostile.code().name() + ":")
                            .doesNotContain("HAPI").doesNotContain("Exception");
                }
            }
            case NONE -> assertThat(answer.body()).isEmpty();
        }
        if (hostile.status() == 405) {
            assertThat(answer.header("Allow")).isNotBlank().doesNotContain("PUT").doesNotContain("DELETE");
        }
        assertThat(answer.body()).doesNotContainIgnoringCase("<html").doesNotContain("Tomcat");
        assertThat(log.getAll()).as("the log").doesNotContain(nik);
    }

    private RawHttp.Request request(Body body, String head) {
        RawHttp.Request request = RawHttp.Request.of(head);
        Duration drip = Duration.ofMillis(200);
        return switch (body) {
            case NONE -> request;
            case TRICKLED_HEAD -> request.trickled(drip);
            case TRICKLED_JSON -> request.withBody(RawHttp.repeat(RawHttp.ascii(" "), 60_000), drip);
            case TRICKLED_FORM -> request.withBody(RawHttp.repeat(RawHttp.ascii("a"), 60_000), drip);
            case CHUNKED_FORM_64_MB -> request.withBody(RawHttp.chunkedForm(SIXTY_FOUR_MB), Duration.ZERO);
            case CHUNKED_FORM_1_9_MB -> request.withBody(RawHttp.chunkedForm(1_900_000), Duration.ZERO);
        };
    }

    private String registeredNik() {
        if (registeredNik == null) {
            BirthRegistered birth = citizens.birth();
            assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
            registeredNik = birth.citizen().nik();
        }
        return registeredNik;
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
