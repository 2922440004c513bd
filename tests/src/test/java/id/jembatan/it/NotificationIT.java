package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.connector.civilregistry.CivilRegistrySandbox;
import id.jembatan.connector.civilregistry.ReceivedNotification;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DeathReported;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/v1/notifications} against the running bus: a hospital's reported death is routed to the civil
 * registry's inbox (the in-process civil registry sandbox consuming {@code civilregistry.notifications}) and changes
 * the master record only once the registry sends its own {@code DeathRegistered}.
 */
class NotificationIT extends BusTestSupport {

    private static final String NOTIFICATIONS = "/api/v1/notifications";
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

    private static void assertAccepted(HttpResponse<String> response, UUID notificationId) {
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = read(response);
        assertThat(answer.get("notificationId").asText()).isEqualTo(notificationId.toString());
        assertThat(answer.get("status").asText()).isEqualTo("ROUTED");
    }

    /**
     * A hospital (health's key) reports the death of a registered citizen. Result: 202 ROUTED; the civil registry's
     * inbox receives the notification, persistent, with {@code reportedBy} health, the reported data, the NIK as
     * message group and the notification id, type and reporter as headers, and shows it on its HTTP view; the audit
     * log holds a NOTIFICATION entry; the master record still has no date of death. Then the civil registry posts its
     * own DeathRegistered. Result: the master record has the date of death.
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
                "JMSXGroupID", citizen.nik(),
                "JembatanNotificationId", report.notificationId().toString(),
                "JembatanNotificationType", "DeathReported",
                "JembatanReportedBy", "health"));
        HttpResponse<String> inbox = send(HttpRequest.newBuilder(civilRegistry.endpoint()).GET());
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(read(inbox).findValuesAsText("notificationId")).contains(report.notificationId().toString());
        assertThat(jdbc.sql("""
                        SELECT agency, purpose, fields, channel, outcome, reference FROM audit_entry
                        WHERE nik = ? AND action = 'NOTIFICATION'""")
                .param(citizen.nik()).query().listOfRows())
                .containsExactly(Map.of("agency", "health", "purpose", "OWNER_NOTIFICATION",
                        "fields", "dateOfDeath,nik,placeOfDeath", "channel", "HTTP", "outcome", "ROUTED",
                        "reference", report.notificationId().toString()));

        JsonNode unchanged = read(get("/api/v1/citizens/" + citizen.nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY));
        assertThat(unchanged.get("dateOfDeath").isNull()).isTrue();

        DeathRegistered confirmed = fixtures.death(citizen.nik(), report.dateOfDeath());
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(confirmed)).statusCode()).isEqualTo(202);
        JsonNode changed = read(get("/api/v1/citizens/" + citizen.nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY));
        assertThat(changed.get("dateOfDeath").asText()).isEqualTo(report.dateOfDeath().toString());
    }

    /**
     * The hospital sends the same notification twice, then a notification about another citizen. Result: 202 ROUTED
     * for all three; once the third has reached the inbox (the queue is delivered in order), the first has arrived
     * exactly once: the broker dropped the repeat.
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

    /** A death is reported for a NIK nobody registered. Result: 409 {@code CITIZEN_UNKNOWN} at {@code /nik}. */
    @Test
    void reportForAnUnknownCitizenIsAConflict() {
        DeathReported report = fixtures.deathReport(fixtures.citizen().nik(), yesterday());

        HttpResponse<String> response = postJson(NOTIFICATIONS, HEALTH_KEY, json(report));

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode problem = read(response);
        assertThat(problem.get("code").asText()).isEqualTo("CITIZEN_UNKNOWN");
        assertThat(problem.get("errors").get(0).get("pointer").asText()).isEqualTo("/nik");
        assertThat(receivedWithId(report.notificationId())).isEmpty();
    }

    /**
     * A death is reported for a citizen whose death the registry has already registered. Result: 409
     * {@code CITIZEN_DECEASED}.
     */
    @Test
    void reportForACitizenAlreadyDeceasedIsAConflict() {
        Citizen citizen = registered();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY,
                json(fixtures.death(citizen.nik(), yesterday()))).statusCode()).isEqualTo(202);

        HttpResponse<String> response = postJson(NOTIFICATIONS, HEALTH_KEY,
                json(fixtures.deathReport(citizen.nik(), yesterday())));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(read(response).get("code").asText()).isEqualTo("CITIZEN_DECEASED");
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
     * records a death with its own DeathRegistered event); nothing reaches the inbox.
     */
    @Test
    void theOwnerCannotNotifyItself() {
        DeathReported report = fixtures.deathReport(registered().nik(), yesterday());

        HttpResponse<String> response = postJson(NOTIFICATIONS, CIVIL_REGISTRY_KEY, json(report));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(read(response).get("code").asText()).isEqualTo("SENDER_IS_OWNER");
        assertThat(receivedWithId(report.notificationId())).isEmpty();
    }
}
