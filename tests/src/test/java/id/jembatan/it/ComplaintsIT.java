package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.complaint.ComplaintMetrics;
import id.jembatan.complaint.ServiceLevelClock;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.Complaint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Citizens' complaints end to end, with the webhook sandbox as the responsible agency (bansos, for social assistance)
 * and as the supervising agency (the ombudsman), on a bus of its own whose service-level clock the test moves
 * forward ({@link ServiceLevelClock}); webhook signatures keep the real time.
 */
@Import(ComplaintsIT.MovableServiceLevelClock.class)
@TestPropertySource(properties = {
        "jembatan.complaints.escalation-check=200ms",
        "jembatan.complaints.outbox-poll-interval=100ms",
        "jembatan.complaints.delivery.redelivery-delay=100ms",
        "jembatan.complaints.delivery.maximum-redelivery-delay=200ms"})
class ComplaintsIT extends BusTestSupport {

    static final String BANSOS_KEY = "demo-bansos-key";
    static final String OMBUDSMAN_KEY = "demo-ombudsman-key";
    private static final Duration SOCIAL_ASSISTANCE_LEVEL = Duration.ofHours(72);
    /** How far the service-level clock is ahead of the real time. */
    private static final AtomicReference<Duration> AHEAD = new AtomicReference<>(Duration.ZERO);

    /** The controllable clock of complaints' service levels. */
    @TestConfiguration
    static class MovableServiceLevelClock {
        @Bean
        ServiceLevelClock serviceLevelClock() {
            return () -> Instant.now().plus(AHEAD.get());
        }
    }

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    ComplaintMetrics complaintCounts;

    /**
     * The citizen portal files a social-assistance complaint whose text holds markup; bansos sets it IN_PROGRESS,
     * then RESOLVED; the ombudsman tries to change it, bansos tries IN_PROGRESS after RESOLVED, another agency lists
     * the citizen's complaints. Result: 202 SUBMITTED routed to bansos, and the same complaint filed again is 200 with
     * the same tracking number; bansos receives it once as a signed webhook ({@code ComplaintSubmitted}) with the
     * complainant's NIK; the refused changes are 403 {@code COMPLAINT_NOT_ROUTED_TO_AGENCY} (titled in Indonesian
     * for {@code Accept-Language: id}) and 409 {@code COMPLAINT_TRANSITION_INVALID}, the listing 403
     * {@code POLICY_DENIED}; the portal reads the complaint with
     * its history newest first (RESOLVED, IN_PROGRESS, SUBMITTED) and the text as a JSON string (application/json,
     * nosniff), and lists it under the citizen's NIK; the citizen's access log shows bansos was given the complaint
     * and read it; the gauge and the MBean count it under bansos/RESOLVED.
     */
    @Test
    void aComplaintIsRoutedDeliveredChangedByItsAgencyOnlyAndFollowedByTheCitizen() throws Exception {
        Citizen citizen = fixtures.citizen();
        Complaint complaint = fixtures.complaint(citizen, "SOCIAL_ASSISTANCE");
        JsonNode body = JSON.readTree(CitizenFixtures.json(complaint));
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("text",
                "Bantuan belum diterima.\n<script>alert('x')</script>");

        HttpResponse<String> filed = postJson("/api/v1/complaints", CITIZEN_PORTAL_KEY, body.toString());
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(202);
        String tracking = read(filed).path("trackingNumber").asText();
        assertThat(read(filed).path("status").asText()).isEqualTo("SUBMITTED");
        assertThat(read(filed).path("routedTo").asText()).isEqualTo("bansos");
        HttpResponse<String> again = postJson("/api/v1/complaints", CITIZEN_PORTAL_KEY, body.toString());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(read(again).path("trackingNumber").asText()).isEqualTo(tracking);

        ReceivedWebhook delivered = awaitComplaint("bansos", tracking, "ComplaintSubmitted");
        JsonNode given = JSON.readTree(delivered.bodyText());
        assertThat(given.path("nik").asText()).isEqualTo(citizen.nik());
        assertThat(given.path("text").asText()).isEqualTo("Bantuan belum diterima.\n<script>alert('x')</script>");
        assertThat(given.path("category").asText()).isEqualTo("SOCIAL_ASSISTANCE");

        JsonNode notYours = assertProblem(send(request(statusPath(tracking), OMBUDSMAN_KEY)
                .header("Content-Type", "application/json").header("Accept-Language", "id")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"status\":\"IN_PROGRESS\"}"))), 403,
                "COMPLAINT_NOT_ROUTED_TO_AGENCY");
        assertThat(notYours.path("title").asText())
                .isEqualTo("Hanya instansi tujuan pengaduan yang boleh mengubah statusnya");
        assertThat(postJson(statusPath(tracking), BANSOS_KEY, "{\"status\":\"IN_PROGRESS\"}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> resolved = postJson(statusPath(tracking), BANSOS_KEY,
                "{\"status\":\"RESOLVED\",\"resolution\":\"Bantuan disalurkan pada 25 November.\"}");
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        assertThat(read(resolved).path("status").asText()).isEqualTo("RESOLVED");
        assertProblem(postJson(statusPath(tracking), BANSOS_KEY, "{\"status\":\"IN_PROGRESS\"}"), 409,
                "COMPLAINT_TRANSITION_INVALID");

        HttpResponse<String> view = get("/api/v1/complaints/" + tracking, CITIZEN_PORTAL_KEY);
        assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
        assertThat(view.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(view.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        JsonNode complaintView = read(view);
        assertThat(complaintView.path("text").asText()).contains("<script>alert('x')</script>");
        assertThat(complaintView.path("nik").asText()).isEqualTo(citizen.nik());
        assertThat(statuses(complaintView)).containsExactly("RESOLVED", "IN_PROGRESS", "SUBMITTED");
        assertThat(complaintView.path("history").get(0).path("resolution").asText())
                .isEqualTo("Bantuan disalurkan pada 25 November.");

        JsonNode list = read(get("/api/v1/citizens/" + citizen.nik() + "/complaints", CITIZEN_PORTAL_KEY));
        assertThat(list.path("total").asLong()).isEqualTo(1);
        assertThat(list.path("items").get(0).path("trackingNumber").asText()).isEqualTo(tracking);
        assertThat(list.path("items").get(0).path("status").asText()).isEqualTo("RESOLVED");
        assertProblem(get("/api/v1/citizens/" + citizen.nik() + "/complaints", TAX_KEY), 403, "POLICY_DENIED");

        assertThat(get("/api/v1/complaints/" + tracking, BANSOS_KEY).statusCode()).isEqualTo(200);
        assertProblem(get("/api/v1/complaints/" + tracking, TAX_KEY), 404, "COMPLAINT_NOT_FOUND");
        // The delivery is audited once the agency answered, so the log is awaited.
        List<String> readers = await("bansos in the citizen's access log").atMost(DEFAULT_WAIT)
                .until(() -> readers(citizen.nik()), r -> r.size() == 2);
        assertThat(readers).containsExactlyInAnyOrder("bansos COMPLAINT_HANDLING OK",
                "bansos COMPLAINT_HANDLING DELIVERED");

        HttpResponse<String> metrics = get("/actuator/prometheus", OPERATOR_KEY);
        assertThat(metrics.body()).contains("jembatan_complaints{agency=\"bansos\",status=\"RESOLVED\"}");
        // The MBean's attributes (this bus's; the MBean name belongs to the first bus of the JVM), and the name.
        assertThat(complaintCounts.getCountsByAgencyAndStatus()).containsKey("bansos/RESOLVED");
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(
                new ObjectName(ComplaintMetrics.OBJECT_NAME), "CountsByAgencyAndStatus")).isNotNull();
    }

    /**
     * Bansos does not acknowledge a social-assistance complaint; the service-level clock moves 73 hours on. The
     * ombudsman then forwards it back to bansos. Result: the complaint becomes ESCALATED, routed to the ombudsman,
     * which receives it as a signed webhook ({@code ComplaintEscalated}) without the complainant's NIK (it does not
     * receive NIKs); bansos may no longer change it (403 {@code COMPLAINT_NOT_ROUTED_TO_AGENCY}); after the
     * ombudsman's FORWARDED it is routed to bansos again with a new deadline, and bansos receives it as
     * {@code ComplaintForwarded}; the history reads FORWARDED, ESCALATED, SUBMITTED.
     */
    @Test
    void aComplaintNotAcknowledgedInTimeIsEscalatedToTheSupervisingAgency() throws Exception {
        Citizen citizen = fixtures.citizen();
        HttpResponse<String> filed = postJson("/api/v1/complaints", CITIZEN_PORTAL_KEY,
                CitizenFixtures.json(fixtures.complaint(citizen, "SOCIAL_ASSISTANCE")));
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(202);
        String tracking = read(filed).path("trackingNumber").asText();
        awaitComplaint("bansos", tracking, "ComplaintSubmitted");
        assertThat(read(get("/api/v1/complaints/" + tracking, CITIZEN_PORTAL_KEY)).path("status").asText())
                .isEqualTo("SUBMITTED");

        AHEAD.updateAndGet(ahead -> ahead.plus(SOCIAL_ASSISTANCE_LEVEL).plusHours(1));
        JsonNode escalated = await("complaint escalated").atMost(DEFAULT_WAIT)
                .until(() -> read(get("/api/v1/complaints/" + tracking, CITIZEN_PORTAL_KEY)),
                        v -> v.path("status").asText().equals("ESCALATED"));
        assertThat(escalated.path("routedTo").asText()).isEqualTo("ombudsman");
        assertThat(escalated.path("acknowledgeBy").isNull()).isTrue();
        JsonNode toOmbudsman = JSON.readTree(awaitComplaint("ombudsman", tracking, "ComplaintEscalated").bodyText());
        assertThat(toOmbudsman.has("nik")).as("the ombudsman does not receive NIKs").isFalse();
        assertProblem(postJson(statusPath(tracking), BANSOS_KEY, "{\"status\":\"IN_PROGRESS\"}"), 403,
                "COMPLAINT_NOT_ROUTED_TO_AGENCY");

        HttpResponse<String> forwarded = postJson(statusPath(tracking), OMBUDSMAN_KEY,
                "{\"status\":\"FORWARDED\",\"forwardTo\":\"bansos\",\"note\":\"Mohon segera ditangani.\"}");
        assertThat(forwarded.statusCode()).as(forwarded.body()).isEqualTo(200);
        assertThat(read(forwarded).path("routedTo").asText()).isEqualTo("bansos");
        awaitComplaint("bansos", tracking, "ComplaintForwarded");
        JsonNode view = read(get("/api/v1/complaints/" + tracking, CITIZEN_PORTAL_KEY));
        assertThat(statuses(view)).containsExactly("FORWARDED", "ESCALATED", "SUBMITTED");
        assertThat(view.path("acknowledgeBy").isTextual()).isTrue();
    }

    /**
     * Bansos refuses every webhook (400) while a complaint is delivered to it. Result: the complaint is filed (202) and
     * tried four times (the first and three retries), then lies in {@code dlq.complaints} with
     * {@code JembatanErrorCode} {@code AGENCY_REJECTED} and a reason in the bus's own words; the complaint itself
     * stays SUBMITTED, routed to bansos, for an operator to replay the delivery once bansos takes it.
     */
    @Test
    void aComplaintTheAgencyKeepsRefusingIsDeadLetteredWithItsCode() throws Exception {
        webhookSandbox().setFailWith(400);
        try {
            HttpResponse<String> filed = postJson("/api/v1/complaints", CITIZEN_PORTAL_KEY,
                    CitizenFixtures.json(fixtures.complaint(fixtures.citizen(), "SOCIAL_ASSISTANCE")));
            assertThat(filed.statusCode()).as(filed.body()).isEqualTo(202);
            String tracking = read(filed).path("trackingNumber").asText();

            Message dead = await("complaint " + tracking + " dead-lettered").atMost(DEFAULT_WAIT)
                    .until(() -> deadLetter(tracking), java.util.Optional::isPresent).orElseThrow();
            assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo("AGENCY_REJECTED");
            assertThat(dead.getStringProperty("JembatanErrorReason")).contains("400").doesNotContain("Exception");
            assertThat(read(get("/api/v1/complaints/" + tracking, CITIZEN_PORTAL_KEY)).path("status").asText())
                    .isEqualTo("SUBMITTED");
        } finally {
            webhookSandbox().setFailWith(0);
        }
    }

    /** The complaint's dead letter in {@code dlq.complaints}, browsed without taking it. */
    private static java.util.Optional<Message> deadLetter(String tracking) throws JMSException {
        try (Connection connection = operatorConnectionFactory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue("dlq.complaints"),
                    "JembatanTrackingNumber = '" + tracking + "'");
            return java.util.Collections.list(browser.getEnumeration()).stream().map(Message.class::cast)
                    .findFirst();
        }
    }

    /** Who read the citizen's data, as the citizen's access log says: agency, purpose and outcome. */
    private List<String> readers(String nik) {
        List<String> readers = new ArrayList<>();
        read(get("/api/v1/citizens/" + nik + "/access-log", CITIZEN_PORTAL_KEY)).path("items")
                .forEach(i -> readers.add(i.path("agency").asText() + " " + i.path("purpose").asText() + " "
                        + i.path("outcome").asText()));
        return readers;
    }

    private static String statusPath(String tracking) {
        return "/api/v1/complaints/" + tracking + "/status";
    }

    private static List<String> statuses(JsonNode view) {
        List<String> statuses = new ArrayList<>();
        view.path("history").forEach(h -> statuses.add(h.path("status").asText()));
        return statuses;
    }

    /** Waits until the webhook sandbox of {@code agency} accepted the complaint's delivery of this kind. */
    private ReceivedWebhook awaitComplaint(String agency, String tracking, String kind) {
        return await(agency + " received " + kind + " of " + tracking).atMost(DEFAULT_WAIT)
                .until(() -> webhooksReceived(agency).stream()
                        .filter(w -> kind.equals(w.eventType()) && w.bodyText().contains(tracking))
                        .findFirst(), java.util.Optional::isPresent).orElseThrow();
    }
}
