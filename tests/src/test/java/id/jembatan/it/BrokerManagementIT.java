package id.jembatan.it;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.bus.BrokerManagement;
import id.jembatan.config.BrokerConfiguration;
import id.jembatan.config.BrokerSecurity;
import id.jembatan.operator.OperatorDirectory;
import id.jembatan.operator.OperatorSettings;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus's broker management ({@link BrokerManagement}: management messages over the bus's own connection), which
 * the dead-letter operations and the agency queues use, against both kinds of broker the bus runs on: the embedded
 * one (the bus's {@code broker.xml} and security, reached in-VM) and an external one (a broker JVM of its own with
 * the same {@code broker.xml}, reached over TCP as its broker user). Each test runs on both, on queues of its own.
 */
class BrokerManagementIT {

    private static final String BUS_USER = "jembatan";
    private static final String BUS_PASSWORD = "it-broker-management-" + UUID.randomUUID();

    private static Path workDir;
    private static EmbeddedActiveMQ embedded;
    private static StandaloneBroker external;
    private static final List<Broker> BROKERS = new ArrayList<>();

    /** One broker as the bus reaches it. */
    record Broker(String name, ActiveMQConnectionFactory factory, BrokerManagement management) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startBrokers() throws Exception {
        workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "broker-management-")
                .toAbsolutePath();
        FileConfiguration config = BrokerConfiguration.fromBrokerXml("management-it", workDir.resolve("embedded"));
        config.addAcceptorConfiguration("in-vm", "vm://57");
        AgenciesSettings none = new AgenciesSettings(Map.of());
        embedded = new EmbeddedActiveMQ().setConfiguration(config).setSecurityManager(new BrokerSecurity(
                new AgencyDirectory(none), new OperatorDirectory(new OperatorSettings(List.of()), none),
                agency -> false));
        embedded.start();
        external = StandaloneBroker.start(workDir.resolve("external"), BUS_USER,
                BUS_PASSWORD, 60);
        ActiveMQConnectionFactory inVm = new ActiveMQConnectionFactory("vm://57");
        ActiveMQConnectionFactory overTcp = new ActiveMQConnectionFactory(external.url(), BUS_USER, BUS_PASSWORD);
        BROKERS.add(new Broker("embedded", inVm, new BrokerManagement(inVm)));
        BROKERS.add(new Broker("external", overTcp, new BrokerManagement(overTcp)));
    }

    @AfterAll
    static void stopBrokers() throws Exception {
        for (Broker broker : BROKERS) {
            broker.management().destroy();
            broker.factory().close();
        }
        if (external != null) {
            external.close();
        }
        if (embedded != null) {
            embedded.stop();
        }
    }

    static Stream<Broker> brokers() {
        return BROKERS.stream();
    }

    /**
     * Two agencies' queues on {@code citizen.events} and the first agency's dead-letter queue, created through
     * management; two dead letters of one citizen (event id, group, error code, a reason longer than the broker's
     * default attribute limit of 256 characters). Result: the counts are the broker's (0 for a queue that does not
     * exist); the list shows both, oldest first, with event id, code and the whole reason, and a limit of one shows
     * the first only; a replay moves both into the first agency's queue alone, with their event ids and group, and
     * empties the dead-letter queue.
     */
    @ParameterizedTest(name = "{0} broker")
    @MethodSource("brokers")
    void deadLettersAreCountedListedAndReplayedIntoTheirAgencysQueueAlone(Broker broker) throws Exception {
        String agency = "agency-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        String deadLetters = "dlq." + agency;
        BrokerManagement management = broker.management();
        management.createQueue(multicast(agency, null));
        management.createQueue(multicast(other, null));
        management.createQueue(QueueConfiguration.of(deadLetters).setAddress(deadLetters).setAutoCreateAddress(true)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        String reason = "tax answered 400: " + "x".repeat(400);
        send(broker, deadLetters, "first", "e-1", reason);
        send(broker, deadLetters, "second", "e-2", reason);

        assertThat(management.messageCount(deadLetters)).isEqualTo(2);
        assertThat(management.messageCount("no-such-queue-" + UUID.randomUUID())).isZero();
        List<Map<String, Object>> listed = management.browse(deadLetters, 10);
        assertThat(listed).extracting(m -> m.get("JembatanEventId")).containsExactly("e-1", "e-2");
        assertThat(listed.get(0)).containsEntry("JembatanErrorCode", "AGENCY_REJECTED")
                .containsEntry("JembatanErrorReason", reason);
        assertThat((Long) listed.get(0).get("timestamp")).isPositive();
        assertThat(management.browse(deadLetters, 1)).extracting(m -> m.get("JembatanEventId"))
                .containsExactly("e-1");

        assertThat(management.moveMessages(deadLetters, agency)).isEqualTo(2);

        assertThat(management.messageCount(deadLetters)).isZero();
        assertThat(management.messageCount(other)).isZero();
        List<Message> replayed = receive(broker, "citizen.events::" + agency, 2);
        assertThat(replayed).extracting(m -> m.getStringProperty("JembatanEventId")).containsExactly("e-1", "e-2");
        assertThat(replayed).extracting(m -> m.getStringProperty("JMSXGroupID")).containsOnly("group-of-e");
        assertThat(((TextMessage) replayed.get(0)).getText()).isEqualTo("first");
    }

    /** Result: a purge removes every dead letter and says how many. */
    @ParameterizedTest(name = "{0} broker")
    @MethodSource("brokers")
    void aPurgeRemovesEveryDeadLetter(Broker broker) throws Exception {
        String deadLetters = "dlq.purged-" + UUID.randomUUID();
        broker.management().createQueue(QueueConfiguration.of(deadLetters).setAddress(deadLetters)
                .setAutoCreateAddress(true).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        for (int i = 0; i < 3; i++) {
            send(broker, deadLetters, "letter " + i, "e-" + i, "refused");
        }

        assertThat(broker.management().removeMessages(deadLetters)).isEqualTo(3);

        assertThat(broker.management().messageCount(deadLetters)).isZero();
    }

    /**
     * An agency's queue is created with a filter, created again (as by a second bus instance) and then given another
     * filter (its subscription changed). Result: it exists once, with the new filter, and keeps the event queued in
     * it; a queue that was never created does not exist.
     */
    @ParameterizedTest(name = "{0} broker")
    @MethodSource("brokers")
    void anAgencysQueueIsCreatedOnceAndItsFilterUpdated(Broker broker) throws Exception {
        String agency = "filtered-" + UUID.randomUUID();
        BrokerManagement management = broker.management();
        management.createQueue(multicast(agency, "JembatanEventType IN ('BirthRegistered')"));
        management.createQueue(multicast(agency, "JembatanEventType IN ('BirthRegistered')"));
        send(broker, "citizen.events::" + agency, "queued", "e-1", null);

        management.updateQueue(multicast(agency, "JembatanEventType IN ('DeathRegistered')"));

        assertThat(management.exists(agency)).isTrue();
        assertThat(management.exists("never-" + UUID.randomUUID())).isFalse();
        assertThat(management.filter(agency)).contains("JembatanEventType IN ('DeathRegistered')");
        assertThat(management.messageCount(agency)).isEqualTo(1);
    }

    private static QueueConfiguration multicast(String name, String filter) {
        return QueueConfiguration.of(name).setAddress("citizen.events").setRoutingType(RoutingType.MULTICAST)
                .setDurable(true).setFilterString(filter);
    }

    /** A persistent text message as the bus would have dead-lettered it ({@code reason} null: a plain event). */
    private static void send(Broker broker, String destination, String text, String eventId, String reason)
            throws JMSException {
        try (Connection connection = broker.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(destination.contains("::")
                    ? session.createTopic(destination) : session.createQueue(destination));
            TextMessage message = session.createTextMessage(text);
            message.setStringProperty("JembatanEventId", eventId);
            message.setStringProperty("JembatanEventType", "BirthRegistered");
            message.setStringProperty("JMSXGroupID", "group-of-e");
            if (reason != null) {
                message.setStringProperty("JembatanErrorCode", "AGENCY_REJECTED");
                message.setStringProperty("JembatanErrorReason", reason);
            }
            producer.send(message);
        }
    }

    private static List<Message> receive(Broker broker, String queue, int count) throws JMSException {
        List<Message> messages = new ArrayList<>();
        try (Connection connection = broker.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            for (int i = 0; i < count; i++) {
                Message message = consumer.receive(10_000);
                assertThat(message).as("message " + (i + 1) + " on " + queue).isNotNull();
                messages.add(message);
            }
        }
        return messages;
    }
}
