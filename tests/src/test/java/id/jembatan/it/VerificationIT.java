package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.quota.QuotaOperation;
import id.jembatan.quota.QuotaSettings;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.verification.IdentityVerification;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/citizens/verify} against the running bus: MATCH or NO_MATCH and nothing else, validation,
 * authentication, the per-agency quota and the audit entry. The test context allows 10 verifications per second
 * per agency: the tests spread their requests over the agencies so that only the quota test reaches a limit
 * (tax: 5 requests, health: 5, citizen-portal: the flood, licensing: 1 answered).
 */
class VerificationIT extends BusTestSupport {

    private static final String VERIFY = "/api/v1/citizens/verify";
    private static final String MATCH = "{\"result\":\"MATCH\"}";
    private static final String NO_MATCH = "{\"result\":\"NO_MATCH\"}";

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private QuotaSettings quotas;

    private Citizen registered() {
        Citizen citizen = fixtures.citizen();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(fixtures.birth(citizen))).statusCode())
                .isEqualTo(202);
        return citizen;
    }

    private static String request(String nik, String fullName, LocalDate birthDate) {
        ObjectNode body = JSON.createObjectNode();
        body.put("nik", nik);
        body.put("fullName", fullName);
        body.put("birthDate", birthDate.toString());
        return body.toString();
    }

    private static String request(Citizen citizen) {
        return request(citizen.nik(), citizen.fullName(), citizen.birthDate());
    }

    private HttpResponse<String> verify(String apiKey, String body) {
        return postJson(VERIFY, apiKey, body);
    }

    private static void assertAnswer(HttpResponse<String> response, String expected) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(read(response)).isEqualTo(JSON.readTree(expected));
    }

    /**
     * The tax office verifies the exact data of a registered citizen. Result: 200 with exactly
     * {@code {"result":"MATCH"}}, no other field.
     */
    @Test
    void registeredDataMatch() throws Exception {
        Citizen citizen = registered();

        assertAnswer(verify(TAX_KEY, request(citizen)), MATCH);
    }

    /**
     * The name is sent in upper case with extra spaces around and between its words, then in lower case with a
     * no-break space. Result: MATCH both times; case and white space do not matter.
     */
    @Test
    void nameMatchesIgnoringCaseAndWhiteSpace() throws Exception {
        Citizen citizen = registered();
        String shouted = "  " + citizen.fullName().toUpperCase(Locale.ROOT).replace(" ", "   ") + " ";
        String whispered = citizen.fullName().toLowerCase(Locale.ROOT).replace(' ', '\u00a0');

        assertAnswer(verify(TAX_KEY, request(citizen.nik(), shouted, citizen.birthDate())), MATCH);
        assertAnswer(verify(TAX_KEY, request(citizen.nik(), whispered, citizen.birthDate())), MATCH);
    }

    /**
     * Health verifies a registered NIK with another name, then with the birth date one day off, then a NIK that is
     * not registered. Result: 200 NO_MATCH each time, the unknown NIK included (not 404: nothing is revealed).
     */
    @Test
    void wrongNameWrongBirthDateAndUnknownNikDoNotMatch() throws Exception {
        Citizen citizen = registered();
        Citizen stranger = fixtures.citizen();

        assertAnswer(verify(HEALTH_KEY, request(citizen.nik(), citizen.fullName() + " Putri",
                citizen.birthDate())), NO_MATCH);
        assertAnswer(verify(HEALTH_KEY, request(citizen.nik(), citizen.fullName(),
                citizen.birthDate().plusDays(1))), NO_MATCH);
        assertAnswer(verify(HEALTH_KEY, request(stranger)), NO_MATCH);
    }

    /**
     * The NIK has 15 digits. Result: 400 problem+json with code {@code NIK_INVALID_LENGTH} at {@code /nik}.
     */
    @Test
    void invalidNikIsRefusedWithItsCode() {
        Citizen citizen = fixtures.citizen();

        HttpResponse<String> response = verify(HEALTH_KEY,
                request(citizen.nik().substring(0, 15), citizen.fullName(), citizen.birthDate()));

        JsonNode problem = assertFieldProblem(response, 400, "NIK_INVALID_LENGTH", "/nik");
        assertThat(problem.get("errors").get(0).get("pointer").asText()).isEqualTo("/nik");
    }

    /**
     * The body lacks the birth date and carries a property the schema does not define. Result: 400
     * {@code SCHEMA_VIOLATION} with one error at {@code /birthDate} and one at {@code /purpose}.
     */
    @Test
    void bodyOutsideTheSchemaIsRefused() {
        ObjectNode body = JSON.createObjectNode();
        Citizen citizen = fixtures.citizen();
        body.put("nik", citizen.nik());
        body.put("fullName", citizen.fullName());
        body.put("purpose", "curiosity");

        HttpResponse<String> response = verify(HEALTH_KEY, body.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = read(response);
        assertThat(problem.get("code").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(problem.get("errors").findValuesAsText("pointer"))
                .containsExactlyInAnyOrder("/birthDate", "/purpose");
    }

    /** A request without an API key. Result: 401 {@code AGENCY_UNAUTHENTICATED}. */
    @Test
    void requestWithoutKeyIsUnauthenticated() {
        HttpResponse<String> response = verify(null, request(fixtures.citizen()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(read(response).get("code").asText()).isEqualTo("AGENCY_UNAUTHENTICATED");
    }

    /**
     * The citizen portal sends twice its quota for a second and one more verification at once (so that a second
     * ending mid-flood cannot hide the limit). Result: a
     * 429 problem+json {@code RATE_LIMITED} with {@code Retry-After: 1} and the quota named ({@code quota}: agency
     * citizen-portal, purpose IDENTITY_VERIFICATION, operation verification, window per-second, its limit); right
     * after it, the licensing office's verification is answered normally: each agency has its own quota.
     */
    @Test
    void anAgencyOverItsBudgetIsRefusedWhileAnotherIsNot() throws Exception {
        Citizen citizen = registered();
        long budget = quotas.limitOf("citizen-portal", IdentityVerification.PURPOSE, QuotaOperation.VERIFICATION)
                .perSecond();

        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 2 * budget + 1; i++) {
            burst.add(client.sendAsync(request(VERIFY, CITIZEN_PORTAL_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request(citizen))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = burst.stream().map(CompletableFuture::join).toList();
        for (HttpResponse<String> answer : answers) {
            if (answer.statusCode() != 429) {
                assertAnswer(answer, MATCH);
            }
        }
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst()
                .orElse(null);

        assertThat(refused).as("429 among " + (2 * budget + 1) + " requests at once").isNotNull();
        assertProblem(refused, 429, "RATE_LIMITED");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(read(refused).get("quota")).isEqualTo(JSON.readTree("{\"agency\":\"citizen-portal\","
                + "\"purpose\":\"IDENTITY_VERIFICATION\",\"operation\":\"verification\",\"window\":\"per-second\","
                + "\"limit\":" + budget + "}"));
        assertAnswer(verify(LICENSING_KEY, request(citizen)), MATCH);
    }

    /**
     * The tax office verifies a registered citizen's data. Result: the audit log holds one VERIFICATION entry for
     * that NIK: agency tax, purpose IDENTITY_VERIFICATION, fields nik, fullName and birthDate, channel HTTP, outcome
     * MATCH.
     */
    @Test
    void verificationIsAudited() throws Exception {
        Citizen citizen = registered();

        assertAnswer(verify(TAX_KEY, request(citizen)), MATCH);

        List<Map<String, Object>> entries = jdbc.sql("""
                        SELECT agency, purpose, fields, channel, outcome FROM audit_entry
                        WHERE nik = ? AND action = 'VERIFICATION'""")
                .param(citizen.nik()).query().listOfRows();
        assertThat(entries).containsExactly(Map.of("agency", "tax", "purpose", "IDENTITY_VERIFICATION",
                "fields", "birthDate,fullName,nik", "channel", "HTTP", "outcome", "MATCH"));
    }

    /**
     * The licensing office sends a verification in forms the endpoint does not take: the body as text/plain, asking
     * for an XML answer only, an {@code Accept} that does not parse, and no body. Result: 415
     * {@code UNSUPPORTED_MEDIA_TYPE}, 406 {@code NOT_ACCEPTABLE} twice and 400 {@code MALFORMED_JSON}, each as
     * problem+json, and a JSON verification with its {@code Accept} is answered {@code application/json}: the
     * busiest endpoints' lean path takes only what the controller serves and leaves the rest to it.
     */
    @Test
    void requestsInOtherFormsAreRefusedAsBefore() {
        String body = request(fixtures.citizen());
        assertProblem(send(request(VERIFY, LICENSING_KEY).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body))), 415, "UNSUPPORTED_MEDIA_TYPE");
        for (String accept : List.of("application/xml", "not a media type")) {
            assertProblem(send(request(VERIFY, LICENSING_KEY).header("Content-Type", "application/json")
                    .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(body))), 406, "NOT_ACCEPTABLE");
        }
        assertProblem(verify(LICENSING_KEY, ""), 400, "MALFORMED_JSON");
        HttpResponse<String> answered = send(request(VERIFY, TAX_KEY).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answered.body()).isEqualTo(NO_MATCH);
    }
}
