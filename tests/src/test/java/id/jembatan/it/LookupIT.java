package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.contract.ContractValidator;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization matrix of {@code GET /api/v1/citizens/{nik}?purpose=P}: every agency, each purpose it has, a
 * purpose of another agency, and one the access policy does not have; for an allowed lookup the exact set of fields
 * returned. The expected sets are written out here, not read from the policy file, so a change of the policy shows
 * in review. And the per-agency quota of lookups, REST and FHIR together, exact at its boundary.
 */
class LookupIT extends BusTestSupport {

    private static final Map<String, String> KEYS = Map.of(
            "civil-registry", CIVIL_REGISTRY_KEY,
            "tax", TAX_KEY,
            "health", "demo-health-key",
            "licensing", "demo-licensing-key",
            "bansos", "demo-bansos-key",
            "citizen-portal", "demo-citizen-portal-key");

    private static final Set<String> ALL = Set.of("nik", "familyCardNumber", "fullName", "birthPlace", "birthDate",
            "sex", "religion", "maritalStatus", "occupation", "nationality", "motherNik", "fatherNik", "address",
            "spouseNik", "deceased", "dateOfDeath", "placeOfDeath");

    private static BirthRegistered registered;

    @Autowired
    JdbcClient jdbc;

    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("civil-registry", "REGISTRY_ADMINISTRATION", 200, ALL),
                Arguments.of("civil-registry", "TAXPAYER_REGISTRATION", 403, null),
                Arguments.of("tax", "TAXPAYER_REGISTRATION", 200, Set.of("nik", "fullName", "birthPlace",
                        "birthDate", "sex", "nationality", "occupation", "address", "deceased")),
                Arguments.of("tax", "TAX_ALLOWANCE_ASSESSMENT", 200, Set.of("nik", "familyCardNumber",
                        "maritalStatus", "spouseNik", "deceased")),
                Arguments.of("tax", "PATIENT_IDENTIFICATION", 403, null),
                Arguments.of("tax", "REGISTRY_ADMINISTRATION", 403, null),
                Arguments.of("health", "PATIENT_IDENTIFICATION", 200, Set.of("nik", "fullName", "birthDate", "sex",
                        "maritalStatus", "motherNik", "address", "deceased", "dateOfDeath")),
                Arguments.of("health", "TAXPAYER_REGISTRATION", 403, null),
                Arguments.of("licensing", "DRIVING_LICENCE_APPLICATION", 200, Set.of("nik", "fullName", "birthPlace",
                        "birthDate", "sex", "address", "deceased")),
                Arguments.of("licensing", "PATIENT_IDENTIFICATION", 403, null),
                Arguments.of("bansos", "SOCIAL_ASSISTANCE_ELIGIBILITY", 200, Set.of("nik", "familyCardNumber",
                        "fullName", "birthDate", "sex", "address", "deceased")),
                Arguments.of("bansos", "TAXPAYER_REGISTRATION", 403, null),
                Arguments.of("citizen-portal", "REGISTRY_ADMINISTRATION", 403, null),
                Arguments.of("citizen-portal", "DRIVING_LICENCE_APPLICATION", 403, null),
                Arguments.of("civil-registry", "CURIOSITY", 400, null),
                Arguments.of("tax", "CURIOSITY", 400, null),
                Arguments.of("health", "CURIOSITY", 400, null),
                Arguments.of("licensing", "CURIOSITY", 400, null),
                Arguments.of("bansos", "CURIOSITY", 400, null),
                Arguments.of("citizen-portal", "CURIOSITY", 400, null));
    }

    /**
     * An agency looks a registered citizen up for a purpose. Result: 200 with exactly the fields its policy gives
     * that purpose (plus the NIK); 403 {@code POLICY_DENIED} for a purpose of the policy it does not have, 400
     * {@code PURPOSE_UNKNOWN} for one the policy does not know, either with no citizen data in the answer.
     */
    @ParameterizedTest(name = "{0} for {1}: {2}")
    @MethodSource("matrix")
    void lookupsFollowThePolicy(String agency, String purpose, int status, Set<String> fields) {
        BirthRegistered citizen = registeredCitizen();
        HttpResponse<String> response = get("/api/v1/citizens/" + citizen.citizen().nik() + "?purpose=" + purpose,
                KEYS.get(agency));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        if (status == 200) {
            Set<String> returned = new HashSet<>();
            read(response).fieldNames().forEachRemaining(returned::add);
            assertThat(returned).isEqualTo(fields);
            assertThat(read(response).get("nik").asText()).isEqualTo(citizen.citizen().nik());
        } else {
            assertProblem(response, status, status == 403 ? "POLICY_DENIED" : "PURPOSE_UNKNOWN");
            assertThat(response.body()).doesNotContain(citizen.citizen().fullName());
        }
    }

    /**
     * Only the civil registry owns life events: every other agency posting one gets 403 {@code NOT_OWNER}.
     */
    @Test
    void onlyTheOwnerPostsEvents() {
        for (var entry : KEYS.entrySet()) {
            HttpResponse<String> response = postJson("/api/v1/events", entry.getValue(),
                    json(new CitizenFixtures().birth()));
            if (entry.getKey().equals("civil-registry")) {
                assertThat(response.statusCode()).isEqualTo(202);
            } else {
                assertProblem(response, 403, "NOT_OWNER");
            }
        }
    }

    /**
     * Lookups without a purpose, with an invalid NIK, for an unregistered NIK. Result: 400
     * {@code PURPOSE_REQUIRED}, 400 with the NIK code, 404 {@code CITIZEN_NOT_FOUND}.
     */
    @Test
    void badLookupsAreRefusedClearly() {
        String nik = registeredCitizen().citizen().nik();
        assertProblem(get("/api/v1/citizens/" + nik, TAX_KEY), 400, "PURPOSE_REQUIRED");
        assertProblem(get("/api/v1/citizens/31710145089900?purpose=TAXPAYER_REGISTRATION", TAX_KEY),
                400, "NIK_INVALID_LENGTH");
        assertProblem(get("/api/v1/citizens/" + new CitizenFixtures().citizen().nik()
                + "?purpose=TAXPAYER_REGISTRATION", TAX_KEY), 404, "CITIZEN_NOT_FOUND");
    }

    /**
     * The tax office looks a registered citizen up asking for JSON, for anything, for XML only, and with an
     * {@code Accept} that does not parse. Result: the first two answered 200 {@code application/json} with the same
     * fields; 406 {@code NOT_ACCEPTABLE} as problem+json for the other two (the lean path of the busiest endpoints
     * leaves them to the controller, which refuses them as before).
     */
    @Test
    void lookupsAnswerJsonOrRefuseWhatIsNotAccepted() {
        String path = "/api/v1/citizens/" + registeredCitizen().citizen().nik() + "?purpose=TAXPAYER_REGISTRATION";
        Set<String> fields = new HashSet<>();
        for (String accept : List.of("application/json", "*/*")) {
            HttpResponse<String> response = send(request(path, TAX_KEY).header("Accept", accept).GET());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            Set<String> answered = new HashSet<>();
            read(response).fieldNames().forEachRemaining(answered::add);
            assertThat(answered).contains("nik", "fullName");
            if (!fields.isEmpty()) {
                assertThat(answered).isEqualTo(fields);
            }
            fields.addAll(answered);
        }
        for (String accept : List.of("application/xml", "not a media type")) {
            assertProblem(send(request(path, TAX_KEY).header("Accept", accept).GET()), 406, "NOT_ACCEPTABLE");
        }
    }

    /**
     * The tax office looks a citizen up for taxpayer registration. Result: the audit chain holds a LOOKUP entry
     * with the agency, the purpose, the channel and exactly the fields that were returned.
     */
    @Test
    void lookupsAreAudited() {
        String nik = registeredCitizen().citizen().nik();
        JsonNode answer = read(get("/api/v1/citizens/" + nik + "?purpose=TAX_ALLOWANCE_ASSESSMENT", TAX_KEY));

        Map<String, Object> entry = jdbc.sql("""
                        SELECT agency, purpose, fields, channel, outcome FROM audit_entry
                        WHERE nik = ? AND action = 'LOOKUP' AND purpose = 'TAX_ALLOWANCE_ASSESSMENT'
                        ORDER BY seq DESC LIMIT 1""")
                .param(nik).query().singleRow();
        assertThat(entry.get("agency")).isEqualTo("tax");
        assertThat(entry.get("channel")).isEqualTo("HTTP");
        assertThat(entry.get("outcome")).isEqualTo("OK");
        Set<String> returned = new HashSet<>();
        answer.fieldNames().forEachRemaining(returned::add);
        assertThat(Set.of(((String) entry.get("fields")).split(","))).isEqualTo(returned);
    }

    private BirthRegistered registeredCitizen() {
        synchronized (LookupIT.class) {
            if (registered == null) {
                BirthRegistered birth = new CitizenFixtures().birth();
                assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
                registered = birth;
            }
            return registered;
        }
    }

    /**
     * Bansos has, in the test kit, a quota of 40 lookups a day for SOCIAL_ASSISTANCE_ELIGIBILITY (REST and FHIR
     * together; 1000 a second). It sends what is left of today's 40 (40 less its lookups the audit chain holds for
     * today) and 10 more at once, half over REST and half over FHIR. Result: exactly what was left is answered 200
     * and exactly 10 are refused 429 with a {@code Retry-After} of at least one second (the seconds until midnight in
     * Jakarta): problem+json {@code RATE_LIMITED} naming the quota ({@code quota}: bansos,
     * SOCIAL_ASSISTANCE_ELIGIBILITY, lookup, per-day, 40) on REST, an OperationOutcome beginning
     * {@code RATE_LIMITED:} and naming the same on FHIR; refused lookups are not audited, so the chain then holds
     * bansos' 40 lookups of today.
     */
    @Test
    void lookupsBeyondTheDaysQuotaAreRefusedExactly() {
        String nik = registeredCitizen().citizen().nik();
        long left = 40 - bansosLookupsToday();
        assertThat(left).as("lookups left of bansos' 40 today").isPositive();
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < left + 10; i++) {
            HttpRequest lookup = i % 2 == 0
                    ? request("/api/v1/citizens/" + nik + "?purpose=SOCIAL_ASSISTANCE_ELIGIBILITY", KEYS.get("bansos"))
                    .GET().build()
                    : request("/fhir/Patient?identifier=" + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik,
                    StandardCharsets.UTF_8), KEYS.get("bansos")).header("X-Purpose", "SOCIAL_ASSISTANCE_ELIGIBILITY")
                    .GET().build();
            burst.add(client.sendAsync(lookup, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = burst.stream().map(CompletableFuture::join).toList();

        answers.forEach(ContractValidator.v1()::check);
        assertThat(answers.stream().filter(a -> a.statusCode() == 200)).hasSize((int) left);
        List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() == 429).toList();
        assertThat(refused).hasSize(10);
        for (HttpResponse<String> answer : refused) {
            assertThat(answer.headers().firstValueAsLong("Retry-After").orElse(0)).isPositive();
            if (answer.request().uri().getPath().startsWith("/fhir/")) {
                assertThat(HealthFhir.context().newJsonParser().parseResource(OperationOutcome.class, answer.body())
                        .getIssueFirstRep().getDiagnostics()).startsWith("RATE_LIMITED: ")
                        .contains("40 lookup requests per day for purpose SOCIAL_ASSISTANCE_ELIGIBILITY");
            } else {
                assertThat(assertProblem(answer, 429, "RATE_LIMITED").get("quota").toString()).isEqualTo(
                        "{\"agency\":\"bansos\",\"purpose\":\"SOCIAL_ASSISTANCE_ELIGIBILITY\","
                                + "\"operation\":\"lookup\",\"window\":\"per-day\",\"limit\":40}");
            }
        }
        assertThat(bansosLookupsToday()).isEqualTo(40);
    }

    /** Bansos' lookups in the audit chain today (Jakarta's day, as the quota's). */
    private long bansosLookupsToday() {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Jakarta"));
        return jdbc.sql("""
                        SELECT COUNT(*) FROM audit_entry WHERE agency = 'bansos' AND action = 'LOOKUP'
                        AND purpose = 'SOCIAL_ASSISTANCE_ELIGIBILITY' AND at >= ? AND at < ?""")
                .params(today.atStartOfDay(ZoneId.of("Asia/Jakarta")).toOffsetDateTime(),
                        today.plusDays(1).atStartOfDay(ZoneId.of("Asia/Jakarta")).toOffsetDateTime())
                .query(Long.class).single();
    }
}
