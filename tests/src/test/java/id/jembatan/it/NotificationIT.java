package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.contract.ContractValidator;
import id.jembatan.sandbox.civilregistry.CivilRegistrySandbox;
import id.jembatan.sandbox.civilregistry.ReceivedNotification;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DeathReported;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/v1/notifications} against the running bus: a hospital's reported death is routed to the civil
 * registry's inbox (the in-process civil registry sandbox consuming {@code civilregistry.notifications}) and changes
 * the master record only once the registry sends its own {@code DeathRegistered}. Only agencies the access policy
 * lets report deaths may send one; the answer is the same whatever the master index holds about the NIK; every
 * notification is audited with its routing outcome, which operators see and the reporter does not; notifications
 * are rate-limited per agency.
 */
class NotificationIT extends BusTestSupport {

    private static final String NOTIFICATIONS = "/api/v1/notifications";
    private static final String BANSOS_KEY = "demo-bansos-key";
    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    private CivilRegistrySandbox civilRegistry;

    @Autowired
    private JdbcClient jdbc;

    private Citizen registered() {
        Citizen citizen = fixtures.citizen();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(fixtures.birth(citizen))).statusCode())
                .isEqualTo(202);
        return citizen;
    }

    private Citizen deceased() {
        Citizen citizen = registered();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY,
                json(fixtures.death(citizen.nik(), yesterday()))).statusCode()).isEqualTo(202);
        return citizen;
    }

    private static LocalDate yesterday() {
        return LocalDate.now(JAKARTA).minusDays(1);
    }

    private List<ReceivedNotification> receivedWithId(UUID notificationId) {
        return civilRegistry.notifications().stream()
                .filter(n -> n.notification().notificationId().equals(notificationId))
                .toList();
    }

    /** Waits until the civil registry's inbox has received the notification, and returns what it received. */
    private ReceivedNotification awaitReceived(UUID notificationId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !receivedWithId(notificationId).isEmpty());
        return receivedWithId(notificationId).get(0);
    }

    /**
     * Routes a notification about another, living citizen and waits for it: the inbox is one queue delivered in
     * order, so a notification posted before it that was routed has arrived by then.
     */
    private void awaitALaterNotification() {
        DeathReported later = fixtures.deathReport(registered().nik(), yesterday());
        assertAccepted(postJson(NOTIFICATIONS, HEALTH_KEY, json(later)), later.notificationId());
        awaitReceived(later.notificationId());
    }

    private static void assertAccepted(HttpResponse<String> response, UUID notificationId) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode answer = read(response);
        assertThat(answer.get("notificationId").asText()).isEqualTo(notificationId.toString());
        assertThat(answer.get("status").asText()).isEqualTo("ACCEPTED");
    }

    /** The audit entries of the notification: outcome, fields and agency of each. */
    private List<Map<String, Object>> auditOf(DeathReported report) {
        return jdbc.sql("""
                        SELECT agency, purpose, fields, channel, outcome, reference FROM audit_entry
                        WHERE nik = ? AND action = 'NOTIFICATION' AND reference = ?""")
                .param(report.nik()).param(report.notificationId().toString()).query().listOfRows();
    }

    private static Map<String, Object> auditEntry(String agency, String fields, String outcome, DeathReported report) {
        return Map.of("agency", agency, "purpose", "OWNER_NOTIFICATION", "fields", fields, "channel", "HTTP",
                "outcome", outcome, "reference", report.notificationId().toString());
    }

    /**
     * A hospital (health's key) reports the death of a registered citizen. Result: 202 ACCEPTED; the civil registry's
     * inbox receives the notification, persistent, with {@code reportedBy} health, the reported data, the citizen's
     * message group (not the NIK) and the notification id, type and reporter as headers, and shows it on its HTTP
     * view; the audit log holds a NOTIFICATION entry with outcome ROUTED; the master record still has no date of
     * death. Then the civil registry posts its own DeathRegistered. Result: the master record has the date of death.
     */
    @Test
    void reportedDeathReachesTheRegistryAndOnlyItsOwnEventChangesTheRecord() throws Exception {
        Citizen citizen = registered();
        DeathReported report = fixtures.deathReport(citizen.nik(), yesterday());

        assertAccepted(postJson(NOTIFICATIONS, HEALTH_KEY, json(report)), report.notificationId());

        ReceivedNotification received = awaitReceived(report.notificationId());
        assertThat(received.notification()).isEqualTo(report);
        assertThat(received.reportedBy()).isEqualTo("health");
        assertThat(received.persistent()).isTrue();
        assertThat(received.headers()).containsAllEntriesOf(Map.of(
                "JMSXGroupID", groupOf(citizen.nik()),
                "JembatanNotificationId", report.notificationId().toString(),
                "JembatanNotificationType", "DeathReported",
                "JembatanReportedBy", "health"));
        assertThat(received.headers().values()).noneMatch(value -> value.contains(citizen.nik()));
        HttpResponse<String> inbox = send(HttpRequest.newBuilder(civilRegistry.endpoint()).GET());
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(read(inbox).findValuesAsText("notificationId")).contains(report.notificationId().toString());
        assertThat(auditOf(report)).containsExactly(auditEntry("health", "dateOfDeath,nik,placeOfDeath", "ROUTED",
                report));

        JsonNode unchanged = read(get("/api/v1/citizens/" + citizen.nik() + "?purpose=REGISTRY_ADMINISTRATION",
                CIVIL_REGISTRY_KEY));
        assertThat(unchanged.get("dateOfDeath").isNull()).isTrue();

        DeathRegistered confirmed = fixtures.death(citizen.nik(), report.dateOfDeath());
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(confirmed)).statusCode()).isEqualTo(202);
        JsonNode changed = read(get("/api/v1/citizens/" + citizen.nik() + "?purpose=REGISTRY_ADMINISTRATION",
                CIVIL_REGISTRY_KEY));
        assertThat(changed.get("dateOfDeath").asText()).isEqualTo(report.dateOfDeath().toString());
    }

    /**
     * The hospital sends the same notification twice, then a notification about another citizen. Result: 202
     * ACCEPTED for all three; once the third has reached the inbox (the queue is delivered in order), the first has
     * arrived exactly once: the broker dropped the repeat.
     */
    @Test
    void theSameNotificationTwiceReachesTheRegistryOnce() {
        DeathReported report = fixtures.deathReport(registered().nik(), yesterday());
        DeathReported other = fixtures.deathReport(registered().nik(), yesterday());

        assertAccepted(postJson(NOTIFICATIONS, HEALTH_KEY, json(report)), report.notificationId());
        assertAccepted(postJson(NOTIFICATIONS, HEALTH_KEY, json(report)), report.notificationId());
        assertAccepted(postJson(NOTIFICATIONS, HEALTH_KEY, json(other)), other.notificationId());

        awaitReceived(other.notificationId());
        assertThat(receivedWithId(report.notificationId())).hasSize(1);
    }

    /**
     * The hospital reports the deaths of a living citizen, of a NIK nobody registered and of a citizen already
     * registered as deceased. Result: the three answers are the same (202, same content type, same body but for
     * the notification id), so the endpoint tells nothing about a NIK; only the first reaches the registry; the
     * audit log holds each with its routing outcome (ROUTED, CITIZEN_UNKNOWN, CITIZEN_DECEASED), the two not routed
     * without fields, as nothing was passed on.
     */
    @Test
    void theAnswerIsTheSameWhateverTheNiksState() {
        DeathReported living = fixtures.deathReport(registered().nik(), yesterday());
        DeathReported unknown = fixtures.deathReport(fixtures.citizen().nik(), yesterday());
        DeathReported dead = fixtures.deathReport(deceased().nik(), yesterday());

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (DeathReported report : List.of(living, unknown, dead)) {
            HttpResponse<String> answer = postJson(NOTIFICATIONS, HEALTH_KEY, json(report));
            assertAccepted(answer, report.notificationId());
            answers.add(answer);
        }

        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().firstValue("Content-Type"))
                    .isEqualTo(answers.get(0).headers().firstValue("Content-Type"));
            ObjectNode withoutId = ((ObjectNode) read(answer)).without("notificationId");
            assertThat(withoutId).isEqualTo(((ObjectNode) read(answers.get(0))).without("notificationId"));
        }
        awaitReceived(living.notificationId());
        awaitALaterNotification();
        assertThat(receivedWithId(unknown.notificationId())).isEmpty();
        assertThat(receivedWithId(dead.notificationId())).isEmpty();
        assertThat(auditOf(living)).containsExactly(auditEntry("health", "dateOfDeath,nik,placeOfDeath", "ROUTED",
                living));
        assertThat(auditOf(unknown)).containsExactly(auditEntry("health", "", "CITIZEN_UNKNOWN", unknown));
        assertThat(auditOf(dead)).containsExactly(auditEntry("health", "", "CITIZEN_DECEASED", dead));
    }

    /**
     * The operators look at the notifications of the previous kind. Result: Prometheus (operator key) counts them
     * by reporting agency, type and outcome, the outcomes the reporter was not told.
     */
    @Test
    void routingOutcomesAreVisibleToOperators() {
        postJson(NOTIFICATIONS, HEALTH_KEY, json(fixtures.deathReport(fixtures.citizen().nik(), yesterday())));
        postJson(NOTIFICATIONS, HEALTH_KEY, json(fixtures.deathReport(deceased().nik(), yesterday())));
        postJson(NOTIFICATIONS, HEALTH_KEY, json(fixtures.deathReport(registered().nik(), yesterday())));

        String metrics = get("/actuator/prometheus", OPERATOR_KEY).body();

        for (String outcome : List.of("ROUTED", "CITIZEN_UNKNOWN", "CITIZEN_DECEASED")) {
            assertThat(metrics).contains("jembatan_notifications_total{agency=\"health\",outcome=\"" + outcome
                    + "\",type=\"DeathReported\"}");
        }
    }

    /**
     * Agencies the access policy does not let report deaths (the citizen portal, the tax office, licensing, social
     * welfare) report a living citizen's death. Result: 403 {@code POLICY_DENIED} for each; nothing reaches the
     * registry; the attempt is audited as DENIED, without fields.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CITIZEN_PORTAL_KEY, TAX_KEY, LICENSING_KEY, BANSOS_KEY})
    void onlyAgenciesThePolicyAllowsMayReportADeath(String key) {
        DeathReported report = fixtures.deathReport(registered().nik(), yesterday());

        HttpResponse<String> response = postJson(NOTIFICATIONS, key, json(report));

        assertProblem(response, 403, "POLICY_DENIED");
        awaitALaterNotification();
        assertThat(receivedWithId(report.notificationId())).isEmpty();
        assertThat(auditOf(report)).singleElement().satisfies(entry -> {
            assertThat(entry.get("outcome")).isEqualTo("DENIED");
            assertThat(entry.get("fields")).isEqualTo("");
        });
    }

    /**
     * A death is reported with tomorrow's date. Result: 400 {@code DATE_IN_FUTURE} at {@code /dateOfDeath}.
     */
    @Test
    void deathInTheFutureIsRefused() throws Exception {
        Citizen citizen = registered();
        ObjectNode body = (ObjectNode) JSON.readTree(json(fixtures.deathReport(citizen.nik(), yesterday())));
        body.put("dateOfDeath", LocalDate.now(JAKARTA).plusDays(1).toString());

        HttpResponse<String> response = postJson(NOTIFICATIONS, HEALTH_KEY, body.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = read(response);
        assertThat(problem.get("code").asText()).isEqualTo("DATE_IN_FUTURE");
        assertThat(problem.get("errors").get(0).get("pointer").asText()).isEqualTo("/dateOfDeath");
    }

    /**
     * The civil registry, the owner of deaths, posts a notification. Result: 403 {@code SENDER_IS_OWNER} (it
     * records a death with its own DeathRegistered event); nothing reaches the inbox; the attempt is audited as
     * DENIED.
     */
    @Test
    void theOwnerCannotNotifyItself() {
        DeathReported report = fixtures.deathReport(registered().nik(), yesterday());

        HttpResponse<String> response = postJson(NOTIFICATIONS, CIVIL_REGISTRY_KEY, json(report));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(read(response).get("code").asText()).isEqualTo("SENDER_IS_OWNER");
        assertThat(receivedWithId(report.notificationId())).isEmpty();
        assertThat(auditOf(report)).extracting(entry -> entry.get("outcome")).containsExactly("DENIED");
    }

    /**
     * The hospital reports a living citizen's death, and the citizen portal tries to. Result: the citizen's access
     * log shows the hospital's report (purpose OWNER_NOTIFICATION, the fields passed on, outcome ROUTED) and not the
     * portal's refused attempt.
     */
    @Test
    void acceptedNotificationsShowInTheCitizensAccessLog() {
        Citizen citizen = registered();
        DeathReported report = fixtures.deathReport(citizen.nik(), yesterday());
        assertProblem(postJson(NOTIFICATIONS, CITIZEN_PORTAL_KEY,
                json(fixtures.deathReport(citizen.nik(), yesterday()))), 403, "POLICY_DENIED");
        assertAccepted(postJson(NOTIFICATIONS, HEALTH_KEY, json(report)), report.notificationId());

        JsonNode log = read(get("/api/v1/citizens/" + citizen.nik() + "/access-log?limit=200", CITIZEN_PORTAL_KEY));

        List<JsonNode> notifications = new ArrayList<>();
        log.path("items").forEach(item -> {
            if (item.path("purpose").asText().equals("OWNER_NOTIFICATION")) {
                notifications.add(item);
            }
        });
        assertThat(notifications).singleElement().satisfies(item -> {
            assertThat(item.path("agency").asText()).isEqualTo("health");
            assertThat(item.path("outcome").asText()).isEqualTo("ROUTED");
            assertThat(item.path("channel").asText()).isEqualTo("HTTP");
            assertThat(item.path("fields").toString()).isEqualTo("[\"dateOfDeath\",\"nik\",\"placeOfDeath\"]");
        });
    }

    /**
     * The hospital sends 60 notifications at once, about NIKs nobody registered (as someone probing NIKs would).
     * Result: the bus takes at most the hospital's notification quota (20 per second by default) and answers the
     * others 429 {@code RATE_LIMITED} problem+json naming the quota (health, OWNER_NOTIFICATION, notification,
     * per-second, 20) with a {@code Retry-After} of at least one second; once that time has passed
     * the hospital's notifications are accepted again.
     */
    @Test
    void notificationsAreRateLimitedPerAgency() {
        HttpClient client = HttpClient.newHttpClient();
        Supplier<HttpRequest> probe = () -> request(NOTIFICATIONS, HEALTH_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(fixtures.deathReport(fixtures.citizen().nik(),
                        yesterday())), StandardCharsets.UTF_8)).build();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            burst.add(client.sendAsync(probe.get(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = burst.stream().map(CompletableFuture::join).toList();

        answers.forEach(ContractValidator.v1()::check);
        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(202, 429).contains(429);
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow();
        assertThat(assertProblem(refused, 429, "RATE_LIMITED").get("quota").toString()).isEqualTo("{\"agency\":"
                + "\"health\",\"purpose\":\"OWNER_NOTIFICATION\",\"operation\":\"notification\","
                + "\"window\":\"per-second\",\"limit\":20}");
        assertThat(refused.headers().firstValueAsLong("Retry-After").orElse(0)).isPositive();

        await().atMost(Duration.ofSeconds(10)).until(() -> send(request(NOTIFICATIONS, HEALTH_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(fixtures.deathReport(fixtures.citizen().nik(),
                        yesterday())), StandardCharsets.UTF_8))).statusCode() == 202);
    }
}
