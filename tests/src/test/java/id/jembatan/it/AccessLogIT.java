package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/citizens/{nik}/access-log}: the citizen portal shows a citizen which agency got or read their
 * data, when, why, which fields and how, newest first.
 */
class AccessLogIT extends BusTestSupport {

    static final String CITIZEN_PORTAL_KEY = "demo-citizen-portal-key";

    private static final List<String> TAX_BIRTH_FIELDS = List.of("address", "birthDate", "birthPlace",
            "familyCardNumber", "fatherNik", "fullName", "maritalStatus", "motherNik", "nationality", "nik",
            "occupation", "sex");
    private static final List<String> HEALTH_BIRTH_FIELDS = List.of("address", "birthDate", "fullName",
            "maritalStatus", "motherNik", "nik", "sex");
    private static final List<String> LICENSING_BIRTH_FIELDS = List.of("address", "birthDate", "fullName", "nik");
    private static final List<String> BANSOS_BIRTH_FIELDS = List.of("address", "birthDate", "familyCardNumber",
            "fullName", "nik", "sex");
    private static final Map<String, String> CHANNELS = Map.of("tax", "xml-http", "health", "fhir", "licensing",
            "csv-drop", "bansos", "json-http");

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    JdbcClient jdbc;

    /**
     * A citizen is born, then moves; both events reach tax, health, licensing and bansos. Result: the portal reads
     * eight entries, in the order of the audit chain from the newest; for each agency the move (fields address and nik)
     * comes before the birth (the fields that agency receives, never religion), purpose {@code EVENT_DELIVERY},
     * channel the agency's connector, outcome {@code DELIVERED}; the civil registry's own acceptance of the events is
     * not listed.
     */
    @Test
    void deliveriesShowNewestFirstWithTheFieldsGiven() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        post(birth);
        awaitAccessLog(nik, 4);
        post(fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address())));
        JsonNode log = awaitAccessLog(nik, 8);

        assertThat(log.path("nik").asText()).isEqualTo(nik);
        assertThat(log.path("offset").asInt()).isZero();
        assertThat(log.path("limit").asInt()).isEqualTo(50);
        List<JsonNode> items = new ArrayList<>();
        log.path("items").forEach(items::add);
        assertThat(items).extracting(i -> i.path("agency").asText())
                .as("the order of the chain, newest first")
                .containsExactlyElementsOf(jdbc.sql("""
                                SELECT agency FROM audit_entry WHERE nik = ? AND action = 'EVENT_DELIVERED'
                                ORDER BY seq DESC""")
                        .param(nik).query(String.class).list());
        Map<String, List<String>> birthFields = Map.of("tax", TAX_BIRTH_FIELDS, "health", HEALTH_BIRTH_FIELDS,
                "licensing", LICENSING_BIRTH_FIELDS, "bansos", BANSOS_BIRTH_FIELDS);
        for (String agency : List.of("tax", "health", "licensing", "bansos")) {
            List<JsonNode> own = items.stream().filter(i -> i.path("agency").asText().equals(agency)).toList();
            assertThat(own).as(agency).hasSize(2);
            assertThat(fields(own.get(0))).as(agency + " move").containsExactly("address", "nik");
            assertThat(fields(own.get(1))).as(agency + " birth").containsExactlyElementsOf(birthFields.get(agency));
            for (JsonNode item : own) {
                assertThat(item.path("purpose").asText()).isEqualTo("EVENT_DELIVERY");
                assertThat(item.path("channel").asText()).isEqualTo(CHANNELS.get(agency));
                assertThat(item.path("outcome").asText()).isEqualTo("DELIVERED");
                assertThat(Instant.parse(item.path("at").asText()))
                        .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
            }
        }
    }

    /**
     * Once the deliveries of a birth are logged, the tax office looks the citizen up for taxpayer registration (its
     * purpose), then for a driving licence application (a purpose of the access policy, but licensing's), and
     * licensing looks up a NIK nobody registered. Result: the citizen's log shows the refused lookup newest, with
     * outcome {@code DENIED} and no fields, so that it does not read as a read; the granted one below it with
     * outcome {@code OK} and the fields returned; the unregistered NIK's log shows its lookup as
     * {@code NOT_FOUND}.
     */
    @Test
    void eachEntryShowsItsOutcome() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        post(birth);
        awaitAccessLog(nik, 4);
        assertThat(get("/api/v1/citizens/" + nik + "?purpose=TAXPAYER_REGISTRATION", TAX_KEY).statusCode())
                .isEqualTo(200);
        assertProblem(get("/api/v1/citizens/" + nik + "?purpose=DRIVING_LICENCE_APPLICATION", TAX_KEY), 403,
                "POLICY_DENIED");
        String unknown = fixtures.citizen().nik();
        assertProblem(get("/api/v1/citizens/" + unknown + "?purpose=DRIVING_LICENCE_APPLICATION", LICENSING_KEY),
                404, "CITIZEN_NOT_FOUND");

        JsonNode log = page(nik, "?limit=2");

        assertThat(log.path("total").asLong()).isEqualTo(6);
        JsonNode refused = log.path("items").get(0);
        assertThat(refused.path("agency").asText()).isEqualTo("tax");
        assertThat(refused.path("purpose").asText()).isEqualTo("DRIVING_LICENCE_APPLICATION");
        assertThat(refused.path("outcome").asText()).isEqualTo("DENIED");
        assertThat(refused.path("fields")).isEmpty();
        JsonNode read = log.path("items").get(1);
        assertThat(read.path("purpose").asText()).isEqualTo("TAXPAYER_REGISTRATION");
        assertThat(read.path("outcome").asText()).isEqualTo("OK");
        assertThat(fields(read)).containsExactly("address", "birthDate", "birthPlace", "deceased", "fullName",
                "nationality", "nik", "occupation", "sex");
        assertThat(page(unknown, "").path("items")).singleElement().satisfies(item -> {
            assertThat(item.path("agency").asText()).isEqualTo("licensing");
            assertThat(item.path("outcome").asText()).isEqualTo("NOT_FOUND");
        });
    }

    /**
     * A citizen's four deliveries are read in pages of three. Result: every page reports total 4; offset 0 gives
     * the three newest, offset 3 the oldest, offset 4 none; together they are the whole log in the same order; the
     * default limit is 50 and 200 is allowed.
     */
    @Test
    void pagesThroughTheLog() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        post(birth);
        List<JsonNode> whole = new ArrayList<>();
        awaitAccessLog(nik, 4).path("items").forEach(whole::add);

        JsonNode first = page(nik, "?offset=0&limit=3");
        JsonNode second = page(nik, "?offset=3&limit=3");
        JsonNode beyond = page(nik, "?offset=4&limit=3");

        for (JsonNode page : List.of(first, second, beyond)) {
            assertThat(page.path("total").asLong()).isEqualTo(4);
            assertThat(page.path("limit").asInt()).isEqualTo(3);
        }
        assertThat(first.path("items")).hasSize(3);
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("offset").asInt()).isEqualTo(3);
        assertThat(beyond.path("items")).isEmpty();
        List<JsonNode> paged = new ArrayList<>();
        first.path("items").forEach(paged::add);
        second.path("items").forEach(paged::add);
        assertThat(paged).isEqualTo(whole);
        assertThat(page(nik, "?limit=200").path("items")).hasSize(4);
    }

    /**
     * A NIK that is well formed but was never registered. Result: 200 with total 0 and no items, not 404: the log
     * does not tell whether a NIK is registered.
     */
    @Test
    void anUnknownNikHasAnEmptyLog() {
        String unknown = fixtures.citizen().nik();

        JsonNode log = page(unknown, "");

        assertThat(log.path("nik").asText()).isEqualTo(unknown);
        assertThat(log.path("total").asLong()).isZero();
        assertThat(log.path("items")).isEmpty();
    }

    /**
     * Agencies other than the citizen portal ask for a registered citizen's access log. Result: 403
     * {@code POLICY_DENIED} problem+json for each, also with a malformed NIK; without a key 401.
     */
    @Test
    void onlyTheCitizenPortalReadsAccessLogs() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        post(birth);

        for (String key : List.of(TAX_KEY, CIVIL_REGISTRY_KEY, "demo-health-key", "demo-licensing-key")) {
            assertProblem(get("/api/v1/citizens/" + nik + "/access-log", key), 403, "POLICY_DENIED");
        }
        assertProblem(get("/api/v1/citizens/123/access-log", TAX_KEY), 403, "POLICY_DENIED");
        assertProblem(get("/api/v1/citizens/" + nik + "/access-log", null), 401, "AGENCY_UNAUTHENTICATED");
    }

    /**
     * The portal asks with malformed NIKs and out-of-range paging. Result: 400 problem+json with the NIK codes
     * ({@code NIK_INVALID_LENGTH}, {@code NIK_INVALID_DATE}) pointing at {@code /nik}, and
     * {@code INVALID_QUERY_PARAMETER} pointing at {@code /limit} or {@code /offset}.
     */
    @Test
    void malformedNikOrPagingIs400() {
        String nik = fixtures.citizen().nik();
        String badDate = nik.substring(0, 6) + "320190" + nik.substring(12);

        assertFieldProblem(get("/api/v1/citizens/123/access-log", CITIZEN_PORTAL_KEY), 400, "NIK_INVALID_LENGTH",
                "/nik");
        assertFieldProblem(get("/api/v1/citizens/" + badDate + "/access-log", CITIZEN_PORTAL_KEY), 400,
                "NIK_INVALID_DATE", "/nik");
        for (String query : List.of("?limit=0", "?limit=201", "?limit=ten")) {
            assertFieldProblem(get("/api/v1/citizens/" + nik + "/access-log" + query, CITIZEN_PORTAL_KEY), 400,
                    "INVALID_QUERY_PARAMETER", "/limit");
        }
        for (String query : List.of("?offset=-1", "?offset=1.5", "?offset=99999999999")) {
            assertFieldProblem(get("/api/v1/citizens/" + nik + "/access-log" + query, CITIZEN_PORTAL_KEY), 400,
                    "INVALID_QUERY_PARAMETER", "/offset");
        }
    }

    private void post(CitizenEvent event) {
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event)).statusCode()).isEqualTo(202);
    }

    private JsonNode awaitAccessLog(String nik, int total) {
        await().atMost(Duration.ofSeconds(20)).until(() -> page(nik, "").path("total").asLong() >= total);
        JsonNode log = page(nik, "");
        assertThat(log.path("total").asLong()).isEqualTo(total);
        return log;
    }

    private JsonNode page(String nik, String query) {
        HttpResponse<String> response = get("/api/v1/citizens/" + nik + "/access-log" + query, CITIZEN_PORTAL_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return read(response);
    }

    private static List<String> fields(JsonNode item) {
        List<String> fields = new ArrayList<>();
        item.path("fields").forEach(f -> fields.add(f.asText()));
        return fields;
    }

}
