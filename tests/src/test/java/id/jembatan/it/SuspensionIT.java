package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.agency.AgencySuspensions;
import id.jembatan.agency.SuspensionSettings;
import id.jembatan.audit.AuditChain;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.oauth.DemoAuthorizationServer;
import id.jembatan.schema.model.BirthRegistered;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An operator suspends an agency in one operation and reinstates it: from the suspension on, every way the agency
 * signs in is refused (API key and access token over HTTP and FHIR, its broker user, its open broker connection
 * closed), delivery to it is held with its backlog kept, its health shows {@code SUSPENDED}; reinstated, everything
 * works again and the held events arrive. Every operator action is an audit entry naming the operator and the
 * reason, and the chain still verifies.
 */
class SuspensionIT extends BusTestSupport {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Autowired
    DemoAuthorizationServer issuer;

    @Autowired
    HealthSandbox health;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditChain audit;

    /**
     * The health agency looks a registered citizen up over FHIR with its API key and with an access token (200);
     * an operator suspends it over HTTP with a reason; a birth is then registered. Result: the very next FHIR search
     * with the key, and one with the token, are refused 403 with an OperationOutcome carrying
     * {@code AGENCY_SUSPENDED} (no citizen data); a REST lookup with its key gets problem+json
     * {@code AGENCY_SUSPENDED}; the birth waits in health's queue (backlog 1 or more) and does not reach the health
     * sandbox; {@code /actuator/health/agencies/health} shows {@code SUSPENDED}; the suspension is in the database,
     * where a restarted bus reads it. Reinstated: the same key and token are answered 200 and the held birth reaches
     * the health sandbox.
     */
    @Test
    void aSuspendedAgencyIsRefusedOverHttpAndFhirAndItsDeliveryHeldUntilReinstated() throws Exception {
        String known = registered().citizen().nik();
        String token = OAuth2SignInIT.token(issuer, "health-client", "demo-health-client-secret",
                "PATIENT_IDENTIFICATION");
        assertThat(fhirSearch(known, HEALTH_KEY, null).statusCode()).isEqualTo(200);
        assertThat(fhirSearch(known, null, token).statusCode()).isEqualTo(200);

        try {
            JsonNode suspended = read(operator("/api/v1/operations/agencies/health/suspend",
                    "{\"reason\":\"Agreement expired (test)\"}"));
            assertThat(suspended.path("suspended").asBoolean()).isTrue();
            assertThat(suspended.path("operator").asText()).isEqualTo("operator");
            assertThat(read(get("/api/v1/operations/agencies/health", OPERATOR_KEY)).path("paused").asBoolean())
                    .isTrue();
            assertSuspendedOutcome(fhirSearch(known, HEALTH_KEY, null));
            assertSuspendedOutcome(fhirSearch(known, null, token));
            assertProblem(get("/api/v1/citizens/" + known + "?purpose=PATIENT_IDENTIFICATION", HEALTH_KEY), 403,
                    "AGENCY_SUSPENDED");
            assertThat(health(operatorKeyGet("/actuator/health/agencies/health"))).isEqualTo("SUSPENDED");

            BirthRegistered held = registered();
            await().atMost(DEFAULT_WAIT).until(() -> (Long) JMX.getAttribute(agencyMBean("health"), "Backlog") >= 1);
            assertThat(health.patientByNik(held.citizen().nik())).isEmpty();
            AgencySuspensions restarted = new AgencySuspensions(jdbc, new SuspensionSettings(Duration.ofHours(1)));
            try {
                assertThat(restarted.suspension("health")).hasValueSatisfying(s -> {
                    assertThat(s.operator()).isEqualTo("operator");
                    assertThat(s.reason()).isEqualTo("Agreement expired (test)");
                });
            } finally {
                restarted.destroy();
            }

            JsonNode reinstated = read(operator("/api/v1/operations/agencies/health/reinstate",
                    "{\"reason\":\"Agreement renewed (test)\"}"));
            assertThat(reinstated.path("suspended").asBoolean()).isFalse();
            assertThat(read(get("/api/v1/operations/agencies/health", OPERATOR_KEY)).path("paused").asBoolean())
                    .isFalse();
            assertThat(fhirSearch(known, HEALTH_KEY, null).statusCode()).isEqualTo(200);
            assertThat(fhirSearch(known, null, token).statusCode()).isEqualTo(200);
            await().atMost(DEFAULT_WAIT).until(() -> health.patientByNik(held.citizen().nik()).isPresent());
            assertThat(health(operatorKeyGet("/actuator/health/agencies/health"))).isNotEqualTo("SUSPENDED");
        } finally {
            operator("/api/v1/operations/agencies/health/reinstate", null);
        }
    }

    /**
     * The civil registry has a broker connection open and sends to its inbound queue; an operator suspends it
     * through its JMX operation. Result: its open connection is closed by the broker (the client's exception
     * listener hears of it, and a send on it fails), a new sign-in with its user and key is refused, and its HTTP
     * events are refused 403 {@code AGENCY_SUSPENDED}. Reinstated: it signs in to the broker again and sends.
     */
    @Test
    void aSuspendedAgencysBrokerConnectionIsClosedAndItsSignInRefused() throws Exception {
        ObjectName suspensions = new ObjectName("id.jembatan:type=Suspensions");
        Connection open = civilRegistryConnectionFactory().createConnection();
        CountDownLatch closed = new CountDownLatch(1);
        open.setExceptionListener(e -> closed.countDown());
        Session session = open.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
        producer.send(session.createTextMessage(json(citizens.birth())));
        try {
            assertThat((Boolean) JMX.invoke(suspensions, "suspend",
                    new Object[]{"civil-registry", "Key leaked (test)"},
                    new String[]{String.class.getName(), String.class.getName()})).isTrue();

            assertThat(closed.await(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the broker closed the suspended agency's connection").isTrue();
            assertThatThrownBy(() -> producer.send(session.createTextMessage(json(citizens.birth()))))
                    .isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> civilRegistryConnectionFactory().createConnection().close())
                    .isInstanceOf(JMSSecurityException.class);
            assertProblem(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(citizens.birth())), 403,
                    "AGENCY_SUSPENDED");
            assertThat((String[]) JMX.getAttribute(suspensions, "Suspended")).containsExactly("civil-registry");
        } finally {
            JMX.invoke(suspensions, "reinstate", new Object[]{"civil-registry", "Key replaced (test)"},
                    new String[]{String.class.getName(), String.class.getName()});
            open.close();
        }
        try (Connection again = civilRegistryConnectionFactory().createConnection()) {
            Session s = again.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("civilregistry.events.in"))
                    .send(s.createTextMessage(json(citizens.birth())));
        }
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(citizens.birth())).statusCode())
                .isEqualTo(202);
    }

    /**
     * An operator pauses delivery to licensing, starts a sync job for it (which waits while delivery is paused) and
     * cancels it with a reason, resumes delivery and replays its dead letters over HTTP, and suspends and reinstates
     * the tax office through its Agency MBean. Result: each is an entry of the audit chain, in order, with the agency,
     * the action, the operator ({@code operator} over HTTP with the shared key, {@code jmx:local} for a local JMX
     * client), the channel and the reason (the sync's id as its entries' reference); the chain still verifies.
     */
    @Test
    void operatorActionsAreInTheAuditChainAndItStillVerifies() throws Exception {
        // A citizen, so that the sync has someone to send.
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(citizens.birth())).statusCode())
                .isEqualTo(202);
        long before = audit.size();
        operator("/api/v1/operations/agencies/licensing/pause", "{\"reason\":\"Agency maintenance window\"}");
        HttpResponse<String> started = operator("/api/v1/operations/agencies/licensing/syncs",
                "{\"scope\": {\"all\": true}, \"ratePerSecond\": 1}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String sync = read(started).path("id").asText();
        HttpResponse<String> cancelled = send(request("/api/v1/operations/agencies/licensing/syncs/" + sync,
                OPERATOR_KEY).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"reason\":\"Wrong scope\"}")));
        assertThat(read(cancelled).path("state").asText()).as(cancelled.body()).isEqualTo("CANCELLED");
        operator("/api/v1/operations/agencies/licensing/resume", "{\"reason\":\"Maintenance over\"}");
        operator("/api/v1/operations/agencies/licensing/dead-letters/replay", null);
        JMX.invoke(agencyMBean("tax"), "suspend", new Object[]{"Audit finding 12"},
                new String[]{String.class.getName()});
        JMX.invoke(agencyMBean("tax"), "reinstate", new Object[]{"Finding closed"},
                new String[]{String.class.getName()});

        List<Map<String, Object>> entries = jdbc.sql("""
                        SELECT agency, action, channel, outcome, operator, reason FROM audit_entry
                        WHERE seq > ? AND operator IS NOT NULL ORDER BY seq""")
                .param(before).query().listOfRows();
        assertThat(entries).extracting(e -> e.get("agency") + " " + e.get("action") + " " + e.get("channel")
                        + " " + e.get("operator") + " " + e.get("reason"))
                .containsExactly(
                        "licensing DELIVERY_PAUSED operations-http operator Agency maintenance window",
                        "licensing SYNC_STARTED operations-http operator ",
                        "licensing SYNC_CANCELLED operations-http operator Wrong scope",
                        "licensing DELIVERY_RESUMED operations-http operator Maintenance over",
                        "licensing DEAD_LETTERS_REPLAYED operations-http operator ",
                        "tax AGENCY_SUSPENDED jmx jmx:local Audit finding 12",
                        "tax AGENCY_REINSTATED jmx jmx:local Finding closed");
        assertThat(jdbc.sql("SELECT reference FROM audit_entry WHERE seq > ? AND action LIKE 'SYNC_%' ORDER BY seq")
                .param(before).query(String.class).list()).containsExactly(sync, sync);
        JsonNode verification = read(get("/api/v1/audit/verify", OPERATOR_KEY));
        assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
    }

    /**
     * What an operator may get wrong. Result: suspending without a reason is 400 {@code SCHEMA_VIOLATION} at
     * {@code /reason}, an unknown agency 404 {@code RESOURCE_NOT_FOUND}, an agency's key 403
     * {@code OPERATOR_ONLY}; resuming a suspended agency's delivery is 403 {@code AGENCY_SUSPENDED} (reinstating
     * resumes it); a second suspension changes nothing and is not recorded again.
     */
    @Test
    void suspendingIsForOperatorsWithAReason() {
        assertFieldProblem(operator("/api/v1/operations/agencies/bansos/suspend", "{}"), 400, "SCHEMA_VIOLATION",
                "/reason");
        assertProblem(operator("/api/v1/operations/agencies/nobody/suspend", "{\"reason\":\"x\"}"), 404,
                "RESOURCE_NOT_FOUND");
        assertProblem(send(request("/api/v1/operations/agencies/bansos/suspend", TAX_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"x\"}"))), 403, "OPERATOR_ONLY");
        try {
            operator("/api/v1/operations/agencies/bansos/suspend", "{\"reason\":\"Contract review\"}");
            long entries = audit.size();
            assertThat(read(operator("/api/v1/operations/agencies/bansos/suspend", "{\"reason\":\"Again\"}"))
                    .path("suspended").asBoolean()).isTrue();
            assertThat(audit.size()).isEqualTo(entries);
            assertProblem(operator("/api/v1/operations/agencies/bansos/resume", null), 403, "AGENCY_SUSPENDED");
            assertThat(read(get("/api/v1/operations/suspensions", OPERATOR_KEY)).findValuesAsText("reason"))
                    .containsExactly("Contract review");
        } finally {
            operator("/api/v1/operations/agencies/bansos/reinstate", null);
        }
        assertThat(read(get("/api/v1/operations/agencies/bansos", OPERATOR_KEY)).path("paused").asBoolean())
                .isFalse();
    }

    private HttpResponse<String> operator(String path, String body) {
        HttpRequest.Builder request = request(path, OPERATOR_KEY);
        if (body == null) {
            return send(request.POST(HttpRequest.BodyPublishers.noBody()));
        }
        return send(request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> operatorKeyGet(String path) {
        return send(HttpRequest.newBuilder(operatorUri(path)).header("X-API-Key", OPERATOR_KEY).GET());
    }

    private static String health(HttpResponse<String> response) {
        return read(response).path("status").asText();
    }

    private BirthRegistered registered() {
        BirthRegistered birth = citizens.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        return birth;
    }

    private HttpResponse<String> fhirSearch(String nik, String key, String token) {
        HttpRequest.Builder request = request("/fhir/Patient?identifier="
                + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik, StandardCharsets.UTF_8), key)
                .header("Accept", "application/fhir+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.GET());
    }

    private static void assertSuspendedOutcome(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        OperationOutcome outcome = HealthFhir.context().newJsonParser()
                .parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .as(response.body()).isEqualTo("AGENCY_SUSPENDED");
        assertThat(response.body()).doesNotContain("fullName").doesNotContain("Exception");
    }
}
