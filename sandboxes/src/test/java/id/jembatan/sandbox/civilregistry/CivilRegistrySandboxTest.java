package id.jembatan.sandbox.civilregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.DeathReported;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The civil registry's inbox against a real in-VM Artemis broker, and its HTTP view over real HTTP. */
class CivilRegistrySandboxTest {

    private static final int VM_ID = 4183;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final CitizenFixtures FIXTURES = new CitizenFixtures();

    private static EmbeddedActiveMQ broker;

    private final String queue = "civilregistry.notifications." + UUID.randomUUID();
    private ActiveMQConnectionFactory factory;
    private CivilRegistrySandbox sandbox;
    private Connection producerConnection;
    private Session session;
    private MessageProducer producer;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", "vm://" + VM_ID));
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.stop();
    }

    @BeforeEach
    void start() throws Exception {
        broker.getActiveMQServer().createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                .setDurable(false));
        factory = new ActiveMQConnectionFactory("vm://" + VM_ID);
        sandbox = new CivilRegistrySandbox(factory, queue, 0);
        sandbox.start();
        producerConnection = factory.createConnection();
        session = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue(queue));
    }

    @AfterEach
    void stop() throws Exception {
        sandbox.stop();
        producerConnection.close();
        factory.close();
    }

    /** A notification as the bus sends it: canonical JSON plus {@code reportedBy}, with the bus's properties. */
    private void sendAsTheBus(DeathReported report, String reportedBy, int deliveryMode) throws JMSException {
        ObjectNode body = CanonicalJson.mapper().valueToTree(report);
        body.put("reportedBy", reportedBy);
        TextMessage message = session.createTextMessage(body.toString());
        message.setStringProperty("JMSXGroupID", report.nik());
        message.setStringProperty("JembatanNotificationId", report.notificationId().toString());
        message.setStringProperty("JembatanNotificationType", "DeathReported");
        message.setStringProperty("JembatanReportedBy", reportedBy);
        producer.send(message, deliveryMode, 4, 0);
    }

    private void awaitNotifications(Predicate<List<ReceivedNotification>> condition) {
        await().atMost(Duration.ofSeconds(10)).until(sandbox::notifications, condition);
    }

    private HttpResponse<String> http(String method, URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keepsEachNotificationWithItsReporterPropertiesAndPersistence() throws Exception {
        DeathReported report = FIXTURES.deathReport(FIXTURES.citizen().nik(), LocalDate.of(2026, 11, 19));

        sendAsTheBus(report, "health", DeliveryMode.PERSISTENT);
        awaitNotifications(list -> list.size() == 1);

        ReceivedNotification received = sandbox.notifications().get(0);
        assertThat(received.notification()).isEqualTo(report);
        assertThat(received.reportedBy()).isEqualTo("health");
        assertThat(received.persistent()).isTrue();
        assertThat(received.headers())
                .containsEntry("JMSXGroupID", report.nik())
                .containsEntry("JembatanNotificationId", report.notificationId().toString())
                .containsEntry("JembatanNotificationType", "DeathReported")
                .containsEntry("JembatanReportedBy", "health");
    }

    @Test
    void keepsRepeatsBecauseDroppingThemIsTheBussJob() throws Exception {
        DeathReported report = FIXTURES.deathReport(FIXTURES.citizen().nik(), LocalDate.of(2026, 11, 19));

        sendAsTheBus(report, "health", DeliveryMode.NON_PERSISTENT);
        sendAsTheBus(report, "health", DeliveryMode.NON_PERSISTENT);

        awaitNotifications(list -> list.size() == 2);
        assertThat(sandbox.notifications()).allSatisfy(n -> assertThat(n.persistent()).isFalse());
    }

    @Test
    void dropsWhatItCannotReadAndGoesOn() throws Exception {
        DeathReported report = FIXTURES.deathReport(FIXTURES.citizen().nik(), LocalDate.of(2026, 11, 19));

        producer.send(session.createTextMessage("not json"));
        producer.send(session.createTextMessage("[1, 2]"));
        producer.send(session.createTextMessage("{\"type\": \"Unknown\"}"));
        producer.send(session.createBytesMessage());
        sendAsTheBus(report, "health", DeliveryMode.PERSISTENT);

        awaitNotifications(list -> !list.isEmpty());
        assertThat(sandbox.notifications()).extracting(n -> n.notification().notificationId())
                .containsExactly(report.notificationId());
    }

    @Test
    void showsTheInboxAsJsonAndNothingElse() throws Exception {
        DeathReported report = FIXTURES.deathReport(FIXTURES.citizen().nik(), LocalDate.of(2026, 11, 19));
        sendAsTheBus(report, "health", DeliveryMode.PERSISTENT);
        awaitNotifications(list -> list.size() == 1);

        HttpResponse<String> inbox = http("GET", sandbox.endpoint());
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(inbox.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode shown = CanonicalJson.mapper().readTree(inbox.body());
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0).get("reportedBy").asText()).isEqualTo("health");
        assertThat(shown.get(0).get("notification").get("type").asText()).isEqualTo("DeathReported");
        assertThat(shown.get(0).get("notification").get("notificationId").asText())
                .isEqualTo(report.notificationId().toString());

        assertThat(http("POST", sandbox.endpoint()).statusCode()).isEqualTo(405);
        assertThat(http("GET", URI.create("http://127.0.0.1:" + sandbox.port() + "/other")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void whatItReceivedSurvivesARestartOnTheSamePort() throws Exception {
        DeathReported first = FIXTURES.deathReport(FIXTURES.citizen().nik(), LocalDate.of(2026, 11, 19));
        DeathReported second = FIXTURES.deathReport(FIXTURES.citizen().nik(), LocalDate.of(2026, 11, 20));
        sendAsTheBus(first, "health", DeliveryMode.PERSISTENT);
        awaitNotifications(list -> list.size() == 1);
        int port = sandbox.port();

        sandbox.stop();
        sendAsTheBus(second, "health", DeliveryMode.PERSISTENT);
        sandbox.start();

        awaitNotifications(list -> list.size() == 2);
        assertThat(sandbox.port()).isEqualTo(port);
        assertThat(sandbox.notifications()).extracting(n -> n.notification().notificationId())
                .containsExactly(first.notificationId(), second.notificationId());
    }
}
