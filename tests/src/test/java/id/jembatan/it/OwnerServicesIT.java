package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Owner services against the running bus: the e-procurement system ({@code procurement}) checks a supplier's tax
 * standing with the tax office through the bus ({@code POST /api/v1/services/tax/taxpayer-status}, JSON), the bus
 * asks the tax sandbox over HTTP in taxpayer.xsd 1.2 XML and passes its answer on. The access policy decides who may
 * call it for which purpose, every call is audited and shows in the citizen's access log, and a tax office that is
 * down or slow gives 503 / 504 with {@code Retry-After}, the question never sent twice. The kit runs the service on a
 * test scale: a 1 s time limit, a circuit tried again after 1 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnerServicesIT extends BusTestSupport {

    private static final String PROCUREMENT_KEY = "demo-procurement-key";
    private static final String TAXPAYER_STATUS = "/api/v1/services/tax/taxpayer-status";
    private static final String AS_SUPPLIER_CHECK = TAXPAYER_STATUS + "?purpose=SUPPLIER_VERIFICATION";

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    private TaxSandbox tax;

    @Autowired
    private JdbcClient jdbc;

    @AfterEach
    void taxOfficeBackToNormal() {
        tax.setFailWith(0);
        tax.delayStatusAnswers(Duration.ZERO);
    }

    /** A citizen the civil registry registered and the tax office received as a taxpayer. */
    private Citizen taxpayer() {
        Citizen citizen = registerCitizen();
        await().atMost(DEFAULT_WAIT).until(() -> tax.taxpayer(citizen.nik()).filter(t -> t.registered()).isPresent());
        return citizen;
    }

    private HttpResponse<String> askStatus(String apiKey, String path, String body) {
        return postJson(path, apiKey, body);
    }

    private List<Map<String, Object>> auditOf(String nik) {
        return jdbc.sql("""
                        SELECT agency, purpose, fields, channel, outcome, reference FROM audit_entry
                        WHERE nik = ? AND action = 'SERVICE_CALL' ORDER BY seq""")
                .param(nik).query().listOfRows();
    }

    /**
     * Procurement checks a supplier as docs/agencies.md walks it: first the identity
     * ({@code POST /api/v1/citizens/verify}), then the tax standing by NIK with purpose SUPPLIER_VERIFICATION.
     * Result: MATCH; 200 {@code {"registered": true, "status": "VALID", "asOf": today}}; the tax office was asked
     * exactly once; the audit chain holds a SERVICE_CALL entry (procurement, SUPPLIER_VERIFICATION, outcome OK,
     * reference tax/taxpayer-status), and the citizen's access log shows procurement with the fields it got.
     */
    @Test
    void procurementChecksASuppliersIdentityAndTaxStanding() {
        Citizen supplier = taxpayer();
        HttpResponse<String> verified = postJson("/api/v1/citizens/verify", PROCUREMENT_KEY,
                "{\"nik\":\"" + supplier.nik() + "\",\"fullName\":\"" + supplier.fullName() + "\",\"birthDate\":\""
                        + supplier.birthDate() + "\"}");
        assertThat(read(verified).path("result").asText()).as(verified.body()).isEqualTo("MATCH");
        int asked = tax.statusRequests();

        HttpResponse<String> answer = askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK,
                "{\"nik\":\"" + supplier.nik() + "\"}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode status = read(answer);
        assertThat(status.path("registered").asBoolean()).isTrue();
        assertThat(status.path("status").asText()).isEqualTo("VALID");
        assertThat(status.path("asOf").asText()).isEqualTo(CitizenFixtures.today().toString());
        assertThat(tax.statusRequests()).isEqualTo(asked + 1);
        assertThat(auditOf(supplier.nik())).containsExactly(Map.of("agency", "procurement",
                "purpose", "SUPPLIER_VERIFICATION",
                "fields", "tax/taxpayer-status.asOf,tax/taxpayer-status.registered,tax/taxpayer-status.status",
                "channel", "HTTP", "outcome", "OK", "reference", "tax/taxpayer-status"));
        JsonNode log = read(get("/api/v1/citizens/" + supplier.nik() + "/access-log", CITIZEN_PORTAL_KEY));
        assertThat(log.findValuesAsText("agency")).contains("procurement");
        assertThat(log.toString()).contains("tax/taxpayer-status.status").contains("SUPPLIER_VERIFICATION");
    }

    /**
     * A NIK the tax office never received, and a taxpayer whose death it received, asked as of today. Result:
     * {@code registered false, NOT_REGISTERED}; {@code registered true, INVALID}.
     */
    @Test
    void anUnknownTaxpayerIsNotRegisteredAndADeceasedOneInvalid() {
        Citizen stranger = fixtures.citizen();
        JsonNode unknown = read(askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, "{\"nik\":\"" + stranger.nik() + "\"}"));
        assertThat(unknown.path("registered").asBoolean()).isFalse();
        assertThat(unknown.path("status").asText()).isEqualTo("NOT_REGISTERED");

        Citizen deceased = taxpayer();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY,
                json(fixtures.death(deceased.nik(), CitizenFixtures.today().minusDays(1)))).statusCode())
                .isEqualTo(202);
        await().atMost(DEFAULT_WAIT).until(() -> tax.taxpayer(deceased.nik()).orElseThrow().deceased());
        JsonNode invalid = read(askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, "{\"nik\":\"" + deceased.nik() + "\"}"));
        assertThat(invalid.path("registered").asBoolean()).isTrue();
        assertThat(invalid.path("status").asText()).isEqualTo("INVALID");
    }

    /**
     * A supplier registered before the NIK became the taxpayer number, named by the legacy 15-digit NPWP the tax
     * office still carries for them, written with and without its dots and dash. Result: 200 VALID with the NIK the
     * tax office maps it to and the NPWP as it writes it; the call is in that citizen's audit entries.
     */
    @Test
    void aLegacyNpwpIsAnsweredWithTheNikItMapsTo() {
        Citizen supplier = taxpayer();
        String npwp = fixtures.legacyNpwp();
        tax.carryLegacyNpwp(npwp, supplier.nik());

        for (String written : List.of(npwp, npwp.replace(".", "").replace("-", ""))) {
            HttpResponse<String> answer = askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK,
                    "{\"npwp\":\"" + written + "\"}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode status = read(answer);
            assertThat(status.path("status").asText()).isEqualTo("VALID");
            assertThat(status.path("nik").asText()).isEqualTo(supplier.nik());
            assertThat(status.path("npwp").asText()).isEqualTo(npwp);
        }
        assertThat(auditOf(supplier.nik())).hasSize(2).allMatch(entry -> entry.get("outcome").equals("OK"));
    }

    /**
     * Requests the bus refuses before asking anyone: a malformed NIK, an NPWP with a wrong check digit or in another
     * form, both a NIK and an NPWP, no purpose, a purpose the policy does not know. Result: 400 with the code and
     * pointer of each; the tax office was never asked.
     */
    @Test
    void aBadRequestIsRefusedWithoutAskingTheTaxOffice() {
        int asked = tax.statusRequests();
        String npwp = fixtures.legacyNpwp();
        char check = npwp.charAt(11);
        String wrongCheck = npwp.substring(0, 11) + (char) ('0' + (check - '0' + 1) % 10) + npwp.substring(12);
        String nik = fixtures.citizen().nik();

        assertFieldProblem(askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, "{\"nik\":\"3171019999990001\"}"), 400,
                "NIK_INVALID_DATE", "/nik");
        assertFieldProblem(askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, "{\"npwp\":\"" + wrongCheck + "\"}"), 400,
                "NPWP_INVALID_CHECK_DIGIT", "/npwp");
        assertFieldProblem(askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, "{\"npwp\":\"01-312-166-0\"}"), 400,
                "NPWP_INVALID_FORMAT", "/npwp");
        assertProblem(askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK,
                "{\"nik\":\"" + nik + "\",\"npwp\":\"" + npwp + "\"}"), 400, "SCHEMA_VIOLATION");
        assertProblem(askStatus(PROCUREMENT_KEY, TAXPAYER_STATUS, "{\"nik\":\"" + nik + "\"}"), 400,
                "PURPOSE_REQUIRED");
        assertProblem(askStatus(PROCUREMENT_KEY, TAXPAYER_STATUS + "?purpose=CURIOSITY", "{\"nik\":\"" + nik + "\"}"),
                400, "PURPOSE_UNKNOWN");
        assertThat(tax.statusRequests()).isEqualTo(asked);
        assertThat(auditOf(nik)).isEmpty();
    }

    /**
     * Callers the access policy does not let ask: the tax office itself and health for SUPPLIER_VERIFICATION (a
     * purpose they do not have for this service), procurement for TAXPAYER_REGISTRATION (a purpose the policy knows,
     * but not procurement's for this service), and an owner service nobody offers. Result: 403 POLICY_DENIED three
     * times, each recorded with outcome DENIED and no field; 404 OWNER_SERVICE_NOT_FOUND; the tax office never
     * asked.
     */
    @Test
    void theAccessPolicyDecidesWhoMayAskForWhichPurpose() {
        Citizen supplier = taxpayer();
        int asked = tax.statusRequests();
        String body = "{\"nik\":\"" + supplier.nik() + "\"}";

        assertProblem(askStatus(TAX_KEY, AS_SUPPLIER_CHECK, body), 403, "POLICY_DENIED");
        assertProblem(askStatus(HEALTH_KEY, AS_SUPPLIER_CHECK, body), 403, "POLICY_DENIED");
        assertProblem(askStatus(PROCUREMENT_KEY, TAXPAYER_STATUS + "?purpose=TAXPAYER_REGISTRATION", body), 403,
                "POLICY_DENIED");
        assertProblem(askStatus(PROCUREMENT_KEY, "/api/v1/services/tax/licence-status?purpose=SUPPLIER_VERIFICATION",
                body), 404, "OWNER_SERVICE_NOT_FOUND");

        assertThat(tax.statusRequests()).isEqualTo(asked);
        assertThat(auditOf(supplier.nik())).extracting(e -> e.get("agency") + " " + e.get("purpose") + " "
                + e.get("outcome") + " [" + e.get("fields") + "]").containsExactly(
                "tax SUPPLIER_VERIFICATION DENIED []",
                "health SUPPLIER_VERIFICATION DENIED []",
                "procurement TAXPAYER_REGISTRATION DENIED []");
    }

    /**
     * The catalogue as each caller sees it. Result: procurement gets exactly tax/taxpayer-status with purpose
     * SUPPLIER_VERIFICATION and the ids of its two schemas, which the bus serves; the tax office and health, which
     * may call no service, get an empty list.
     */
    @Test
    void theCatalogueListsExactlyWhatTheCallerMayUse() {
        JsonNode catalogue = read(get("/api/v1/services", PROCUREMENT_KEY));
        assertThat(catalogue.path("services")).hasSize(1);
        JsonNode service = catalogue.path("services").get(0);
        assertThat(service.path("owner").asText()).isEqualTo("tax");
        assertThat(service.path("service").asText()).isEqualTo("taxpayer-status");
        assertThat(service.path("purposes").toString()).isEqualTo("[\"SUPPLIER_VERIFICATION\"]");
        assertThat(service.path("description").asText()).contains("KSWP");
        for (String schema : List.of(service.path("requestSchema").asText(),
                service.path("responseSchema").asText())) {
            String path = schema.substring("https://jembatan.id".length());
            assertThat(path).startsWith("/schemas/v1/services/tax/taxpayer-status.");
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(read(get("/api/v1/services", TAX_KEY)).path("services")).isEmpty();
        assertThat(read(get("/api/v1/services", HEALTH_KEY)).path("services")).isEmpty();
    }

    /**
     * The tax office is down (answers 503 to everything). Result: each call is 503 OWNER_UNAVAILABLE with
     * {@code Retry-After: 1}, each sent to the tax office exactly once (never again by the bus), recorded with
     * outcome OWNER_UNAVAILABLE; after at most five failures the circuit opens and the next call is 503 at once, the
     * tax office not asked. Once the office is back, a call after the circuit's second is answered 200 again.
     */
    @Test
    void anOwnerThatIsDownIsAskedOnceAndThenLeftAlone() {
        Citizen supplier = taxpayer();
        String body = "{\"nik\":\"" + supplier.nik() + "\"}";
        tax.setFailWith(503);

        int failures = 0;
        while (true) {
            int asked = tax.statusRequests();
            HttpResponse<String> down = askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, body);
            JsonNode problem = assertProblem(down, 503, "OWNER_UNAVAILABLE");
            assertThat(down.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(problem.path("detail").asText()).doesNotContain("127.0.0.1").doesNotContain("Exception");
            if (tax.statusRequests() == asked) {
                break; // the circuit is open: the bus did not ask
            }
            assertThat(tax.statusRequests()).as("requests sent by one call").isEqualTo(asked + 1);
            failures++;
            assertThat(failures).as("failures before the circuit opens (5 of the last 10 at most)")
                    .isLessThanOrEqualTo(5);
        }
        assertThat(auditOf(supplier.nik())).hasSize(failures + 1)
                .allMatch(entry -> entry.get("outcome").equals("OWNER_UNAVAILABLE"));

        tax.setFailWith(0);
        await().atMost(DEFAULT_WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, body).statusCode() == 200);
        // The half-open circuit closes after its second good answer.
        assertThat(askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, body).statusCode()).isEqualTo(200);
    }

    /**
     * The tax office answers only after 3 s, the service's time limit being 1 s. Result: 504 OWNER_TIMEOUT with
     * {@code Retry-After: 1}, the question sent once, recorded with outcome OWNER_TIMEOUT.
     */
    @Test
    void aSlowOwnerIsCutOffWithATimeout() {
        Citizen supplier = taxpayer();
        tax.delayStatusAnswers(Duration.ofSeconds(3));
        int asked = tax.statusRequests();

        HttpResponse<String> slow = askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK,
                "{\"nik\":\"" + supplier.nik() + "\"}");

        assertProblem(slow, 504, "OWNER_TIMEOUT");
        assertThat(slow.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(tax.statusRequests()).isEqualTo(asked + 1);
        assertThat(auditOf(supplier.nik())).singleElement()
                .satisfies(entry -> assertThat(entry.get("outcome")).isEqualTo("OWNER_TIMEOUT"));
    }

    /**
     * Procurement has, in the test kit, a quota of 60 questions a day to owner services for SUPPLIER_VERIFICATION.
     * It asks, one after another, what is left of today's 60 (60 less its calls the audit chain holds for today,
     * those the access policy refused not counted) and 3 more. Result: exactly what was left is answered 200, the 3
     * others 429 {@code RATE_LIMITED} with a {@code Retry-After} and the quota named (procurement,
     * SUPPLIER_VERIFICATION, owner-service, per-day, 60); the tax office was not asked for them and they are not in
     * the audit chain. Runs last: it uses up the day's quota.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void ownerServiceCallsCountAgainstTheAgencysQuota() {
        String stranger = fixtures.citizen().nik();
        long left = 60 - procurementCallsToday();
        assertThat(left).as("calls left of procurement's 60 today").isPositive();
        int asked = tax.statusRequests();
        for (long i = 0; i < left; i++) {
            HttpResponse<String> answer = askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK, "{\"nik\":\"" + stranger + "\"}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused = askStatus(PROCUREMENT_KEY, AS_SUPPLIER_CHECK,
                    "{\"nik\":\"" + stranger + "\"}");
            assertThat(refused.headers().firstValueAsLong("Retry-After").orElse(0)).isPositive();
            assertThat(assertProblem(refused, 429, "RATE_LIMITED").get("quota").toString()).isEqualTo(
                    "{\"agency\":\"procurement\",\"purpose\":\"SUPPLIER_VERIFICATION\","
                            + "\"operation\":\"owner-service\",\"window\":\"per-day\",\"limit\":60}");
        }
        assertThat(tax.statusRequests()).isEqualTo(asked + left);
        assertThat(procurementCallsToday()).isEqualTo(60);
    }

    /** Procurement's calls to owner services for SUPPLIER_VERIFICATION today (Jakarta's day, as the quota's). */
    private long procurementCallsToday() {
        ZoneId jakarta = ZoneId.of("Asia/Jakarta");
        LocalDate today = LocalDate.now(jakarta);
        return jdbc.sql("""
                        SELECT COUNT(*) FROM audit_entry WHERE agency = 'procurement' AND action = 'SERVICE_CALL'
                        AND purpose = 'SUPPLIER_VERIFICATION' AND outcome <> 'DENIED' AND at >= ? AND at < ?""")
                .params(today.atStartOfDay(jakarta).toOffsetDateTime(),
                        today.plusDays(1).atStartOfDay(jakarta).toOffsetDateTime())
                .query(Long.class).single();
    }
}
