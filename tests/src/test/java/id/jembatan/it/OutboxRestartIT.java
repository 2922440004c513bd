package id.jembatan.it;

import id.jembatan.index.EventJournal;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.testkit.JembatanBusTest;
import id.jembatan.testkit.TestBus;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restarts of the bus: what was accepted survives, and is published exactly once. Each test starts and stops its
 * own bus instances on one data folder (their own broker, by in-VM id 7, next to the shared test bus).
 */
class OutboxRestartIT {

    private static final String SUBSCRIPTION = "restart-it";

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final CitizenFixtures fixtures = new CitizenFixtures();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /**
     * 50 births are accepted while the relay is stopped, then the bus stops. Result: after it starts again, a
     * durable subscriber receives each of the 50 exactly once before a birth posted after the restart, and the
     * master index still holds every citizen.
     */
    @Test
    void acceptedEventsArePublishedOnceAfterARestart() throws Exception {
        ConfigurableApplicationContext first = start(false);
        createDurableSubscription();
        List<String> ids = new ArrayList<>();
        List<String> niks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            BirthRegistered birth = fixtures.birth();
            assertThat(post(first, json(birth))).isEqualTo(202);
            ids.add(birth.eventId().toString());
            niks.add(birth.citizen().nik());
        }
        assertThat(first.getBean(EventJournal.class).outboxBacklog()).isEqualTo(50);
        first.close();

        ConfigurableApplicationContext second = start(true);
        assertThat(receiveThroughMarker(second)).containsExactlyInAnyOrderElementsOf(ids);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> second.getBean(EventJournal.class).outboxBacklog() == 0);
        for (String nik : niks) {
            assertThat(get(second, "/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION")).isEqualTo(200);
        }
    }

    /**
     * The bus stopped after the broker took a batch but before the outbox rows were deleted (simulated by putting
     * the rows back). Result: the relay sends them again, the broker's duplicate detection drops every repeat, and
     * the outbox drains; the subscriber sees no second copy: the new birth is followed by a marker birth and nothing
     * else.
     */
    @Test
    void aBatchSentAgainAfterACrashIsDroppedByTheBroker() throws Exception {
        ConfigurableApplicationContext bus = start(true);
        createDurableSubscription();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            BirthRegistered birth = fixtures.birth();
            assertThat(post(bus, json(birth))).isEqualTo(202);
            ids.add(birth.eventId().toString());
        }
        assertThat(receiveThroughMarker(bus)).containsExactlyInAnyOrderElementsOf(ids);

        BirthRegistered fresh = fixtures.birth();
        bus.getBean(JdbcClient.class)
                .sql("INSERT INTO outbox (event_id, created_at, event_type, nik, payload)"
                        + " SELECT event_id, received_at, event_type, nik, payload FROM citizen_event")
                .update();
        assertThat(post(bus, json(fresh))).isEqualTo(202);

        assertThat(receiveThroughMarker(bus)).containsExactly(fresh.eventId().toString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> bus.getBean(EventJournal.class).outboxBacklog() == 0);
    }

    private ConfigurableApplicationContext start(boolean relay) {
        ConfigurableApplicationContext context = TestBus.named("restart-it", 7).dataDir(dataDir)
                .with("jembatan.outbox.auto-startup", relay).start();
        open.add(context);
        return context;
    }

    private void createDurableSubscription() throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory("vm://7").createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createSharedDurableConsumer(session.createTopic("citizen.events"), SUBSCRIPTION).close();
        }
    }

    /**
     * What the durable subscription receives, in order, up to and including a birth posted now as a marker: the
     * relay publishes in outbox order, so whatever was published before the marker's row (a repeat too) arrives
     * before it. Each event id at most once.
     */
    private List<String> receiveThroughMarker(ConfigurableApplicationContext bus) throws Exception {
        BirthRegistered marker = fixtures.birth();
        assertThat(post(bus, json(marker))).isEqualTo(202);
        String markerId = marker.eventId().toString();
        List<String> ids = new ArrayList<>();
        Connection connection = new ActiveMQConnectionFactory("vm://7").createConnection();
        open.add(connection);
        connection.start();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createSharedDurableConsumer(session.createTopic("citizen.events"),
                SUBSCRIPTION);
        while (!ids.contains(markerId)) {
            Message m = consumer.receive(20_000);
            assertThat(m).as("the marker %s after %s", markerId, ids).isNotNull();
            ids.add(m.getStringProperty("JembatanEventId"));
        }
        consumer.close();
        assertThat(new HashSet<>(ids)).as("no event twice").hasSameSizeAs(ids);
        assertThat(ids).endsWith(markerId);
        return ids.subList(0, ids.size() - 1);
    }

    private static int post(ConfigurableApplicationContext bus, String body) {
        return JembatanBusTest.send(HttpRequest.newBuilder(uri(bus, "/api/v1/events"))
                .header("X-API-Key", BusTestSupport.CIVIL_REGISTRY_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode();
    }

    private static int get(ConfigurableApplicationContext bus, String path) {
        return JembatanBusTest.send(HttpRequest.newBuilder(uri(bus, path))
                .header("X-API-Key", BusTestSupport.CIVIL_REGISTRY_KEY).GET()).statusCode();
    }

    private static URI uri(ConfigurableApplicationContext bus, String path) {
        return URI.create("http://127.0.0.1:" + bus.getEnvironment().getProperty("local.server.port") + path);
    }
}
