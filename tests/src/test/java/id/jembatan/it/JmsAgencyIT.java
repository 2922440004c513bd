package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.bus.MessageGroups;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.testkit.JembatanBusTest;
import id.jembatan.testkit.TestBus;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An agency of the {@code jms} connector type: the pension fund (a test agency, {@code pensions}) reads its own queue
 * {@code agency.pensions.events} over CORE with its own broker user. Its own bus instance, configured on the command
 * line only (no YAML, no code), because the shared test bus has no jms agency. Every answer of the bus is held to the
 * v1 contract, as in the kit's tests.
 */
class JmsAgencyIT {

    private static final String PENSIONS_KEY = "it-pensions-key";
    private static final String CIVIL_REGISTRY_KEY = JembatanBusTest.CIVIL_REGISTRY_KEY;

    private static ConfigurableApplicationContext bus;
    private static Path dataDir;
    private static int brokerPort;
    private static int httpPort;

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @BeforeAll
    static void startBus() throws IOException {
        dataDir = Files.createTempDirectory("jembatan-jms-it-");
        bus = TestBus.named("jms-it", 9).dataDir(dataDir)
                .with("jembatan.agencies.pensions.connector", "jms")
                .with("jembatan.agencies.pensions.subscribes", "DeathRegistered")
                // printf %s it-pensions-key | sha256sum
                .with("jembatan.agencies.pensions.api-keys",
                        "0b0db70dde672cdf27c2ee5d6aa62b9e94975bd89eea350bfbb2c02eefa1abb8")
                .with("jembatan.access-policy.agencies.pensions.receive", "fullName,dateOfDeath")
                .start();
        brokerPort = TestBus.tcpAcceptor(bus.getBean(EmbeddedActiveMQ.class));
        httpPort = TestBus.httpPort(bus);
    }

    @AfterAll
    static void stopBus() {
        if (bus != null) {
            bus.close();
        }
    }

    /**
     * A citizen is born and dies. Result: the pension fund, signed in as {@code pensions}, receives from its own
     * queue the death (not the birth, which it does not subscribe to) as canonical JSON with the name and date of
     * death and without the place of death, with the event id and the citizen's message group (not the NIK); the
     * next message it receives is the next death (another citizen's, posted after), never a birth.
     */
    @Test
    void theAgencyReadsItsEventsFromItsOwnQueue() throws Exception {
        BirthRegistered birth = fixtures.birth();
        DeathRegistered death = fixtures.death(birth.citizen().nik(), CitizenFixtures.today().minusDays(2));
        post(birth);
        post(death);
        try (Connection connection = factory("pensions", PENSIONS_KEY).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("agency.pensions.events"));
            Message message = consumer.receive(30_000);
            assertThat(message).as("the death on agency.pensions.events").isInstanceOf(TextMessage.class);
            assertThat(message.getStringProperty("JembatanEventId")).isEqualTo(death.eventId().toString());
            assertThat(message.getStringProperty("JMSXGroupID")).isEqualTo(bus.getBean(MessageGroups.class)
                    .of(death.nik())).doesNotContain(death.nik());
            JsonNode body = CanonicalJson.mapper().readTree(((TextMessage) message).getText());
            assertThat(body.get("type").asText()).isEqualTo("DeathRegistered");
            assertThat(body.get("dateOfDeath").asText()).isEqualTo(death.dateOfDeath().toString());
            assertThat(body.has("placeOfDeath")).isFalse();
            // Another citizen born and dead after: the next message is that death, so nothing else came between.
            BirthRegistered otherBirth = fixtures.birth();
            DeathRegistered marker = fixtures.death(otherBirth.citizen().nik(), CitizenFixtures.today().minusDays(1));
            post(otherBirth);
            post(marker);
            Message next = consumer.receive(30_000);
            assertThat(next).as("the other death").isNotNull();
            assertThat(next.getStringProperty("JembatanEventId")).as("the next message, not a birth")
                    .isEqualTo(marker.eventId().toString());
        }
    }

    /**
     * The pension fund tries another agency's queue, a client without a user tries to connect, and someone
     * signs in as the fund with a wrong key. Result: refused each time (JMS security exception).
     */
    @Test
    void nobodyElseReadsTheQueueAndTheAgencyReadsNothingElse() throws Exception {
        try (Connection connection = factory("pensions", PENSIONS_KEY).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("citizen.events::tax")))
                    .isInstanceOf(JMSSecurityException.class);
        }
        assertThatThrownBy(() -> factory(null, null).createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> factory("pensions", "not-its-key").createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
    }

    private static ActiveMQConnectionFactory factory(String user, String password) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
        if (user != null) {
            factory.setUser(user);
            factory.setPassword(password);
        }
        return factory;
    }

    /** Posts as the civil registry, through the kit's client: the answer is held to the v1 contract. */
    private static void post(CitizenEvent event) {
        HttpResponse<String> response = JembatanBusTest.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/api/v1/events"))
                .header("X-API-Key", CIVIL_REGISTRY_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CanonicalJson.write(event))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
}
