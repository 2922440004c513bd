package id.jembatan.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.agency.AgenciesSettings;
import id.jembatan.audit.AuditAction;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.bus.BusConnections;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyRejectedPermanentlyException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.delivery.ConnectorRegistry;
import id.jembatan.delivery.DeliveryAudit;
import id.jembatan.delivery.DeliveryService;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.policy.AccessPolicySettings;
import id.jembatan.routes.broker.DeadLetters;
import id.jembatan.routes.broker.JmsBatchComponent;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.sync.SyncDelivery;
import id.jembatan.sync.SyncMetrics;
import id.jembatan.trace.EventTraces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery routes ({@link AgencyDeliveryRoute}, {@link AgencyBatchDelivery}) on their own: Camel with the bus's
 * {@code jms-batch:} consumer, an Artemis broker in memory (the agency queues on {@code citizen.events} and the dead
 * letters, redelivered at once and without limit as on the bus), the real field filter, dead-letter headers and
 * metrics, and a {@link RecordingConnector} as the agency. Two agencies are configured: {@value #QUICK}, subscribed to
 * births, with retries on a scale of milliseconds (2 redeliveries of a refusal, 10 ms doubling up to 40 ms), and
 * {@value #SLOW}, subscribed to deaths, whose next attempt would come only after a minute. Events are published on
 * {@code citizen.events} as the outbox relay publishes them.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AgencyDeliveryRouteTest.Wiring.class, properties = {
        // Required settings the bus's application.yaml gives (config module), as it gives them.
        "jembatan.broker.events-address=citizen.events",
        "jembatan.ingest.queue=civilregistry.events.in",
        "jembatan.ingest.queue-agency=civil-registry",
        "jembatan.ingest.dead-letter-queue=dlq.civil-registry",
        "jembatan.notifications.queue=civilregistry.notifications",
        "jembatan.agencies." + AgencyDeliveryRouteTest.QUICK + ".connector=" + RecordingConnectors.TYPE,
        "jembatan.agencies." + AgencyDeliveryRouteTest.QUICK + ".subscribes=BirthRegistered",
        "jembatan.agencies." + AgencyDeliveryRouteTest.QUICK + ".delivery.consumers=1",
        "jembatan.agencies." + AgencyDeliveryRouteTest.QUICK + ".delivery.maximum-redeliveries=2",
        "jembatan.agencies." + AgencyDeliveryRouteTest.QUICK + ".delivery.redelivery-delay=10ms",
        "jembatan.agencies." + AgencyDeliveryRouteTest.QUICK + ".delivery.maximum-redelivery-delay=40ms",
        "jembatan.access-policy.agencies." + AgencyDeliveryRouteTest.QUICK + ".receive=nik,fullName,birthDate",
        "jembatan.agencies." + AgencyDeliveryRouteTest.SLOW + ".connector=" + RecordingConnectors.TYPE,
        "jembatan.agencies." + AgencyDeliveryRouteTest.SLOW + ".subscribes=DeathRegistered",
        "jembatan.agencies." + AgencyDeliveryRouteTest.SLOW + ".delivery.consumers=1",
        "jembatan.agencies." + AgencyDeliveryRouteTest.SLOW + ".delivery.redelivery-delay=1m",
        "jembatan.agencies." + AgencyDeliveryRouteTest.SLOW + ".delivery.maximum-redelivery-delay=1m",
        "jembatan.access-policy.agencies." + AgencyDeliveryRouteTest.SLOW + ".receive=nik,dateOfDeath"})
class AgencyDeliveryRouteTest {

    static final String QUICK = "archive";
    static final String SLOW = "shelter";
    private static final String BROKER = "vm://71";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    CamelContext camel;

    @Autowired
    RecordingConnectors connectors;

    @Autowired
    RecordingAuditTrail audit;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ConnectionFactory broker;

    private final CitizenFixtures citizens = new CitizenFixtures();

    @BeforeEach
    void forgetCalls() {
        connectors.of(QUICK).reset();
        connectors.of(SLOW).reset();
    }

    @AfterEach
    void everyRouteRunsAgain() throws Exception {
        for (String agency : List.of(QUICK, SLOW)) {
            camel.getRouteController().startRoute(AgencyDeliveryRoute.routeId(agency));
        }
    }

    /**
     * The agency is unreachable for its first nine attempts, then takes the event. Result: the batch is rolled back
     * and taken again beyond the configured attempts for a refusal (2 redeliveries), without limit; each wait is at
     * least the configured delay, doubled each time (10, 20, 40 ms) and then no longer growing (40 ms: the nine
     * retries take far less than the 5 s that doubling on would take); nothing is dead-lettered; the delivery is
     * audited once and counted with nine failed attempts.
     */
    @Test
    void anUnavailableAgencyIsRetriedWithBackOffUntilItTakesTheEvent() throws Exception {
        RecordingConnector agency = connectors.of(QUICK);
        agency.answer(call -> call <= 9 ? new AgencyUnavailableException("archive answered 503", null) : null);
        long failedBefore = counter("jembatan.delivery.failed");

        BirthRegistered birth = publish(citizens.birth());

        await("delivered and audited").atMost(WAIT).until(() -> !audit.about(birth.eventId().toString()).isEmpty());
        List<RecordingConnector.Call> calls = agency.calls();
        assertThat(calls).extracting(RecordingConnector.Call::eventId).hasSize(10).containsOnly(birth.eventId());
        long[] minimumGaps = {10, 20, 40, 40, 40, 40, 40, 40, 40};
        for (int i = 0; i < minimumGaps.length; i++) {
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(calls.get(i + 1).nanos() - calls.get(i).nanos());
            assertThat(gapMillis).as("wait before attempt %d", i + 2).isGreaterThanOrEqualTo(minimumGaps[i]);
        }
        long uncappedMillis = 10 * ((1L << 9) - 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(calls.get(9).nanos() - calls.get(0).nanos()))
                .as("the delay stops doubling at maximum-redelivery-delay").isLessThan(uncappedMillis);
        assertThat(deadLetter(QUICK, birth.eventId())).isEmpty();
        assertThat(queued(QUICK, birth.eventId())).as("acknowledged").isFalse();
        assertThat(audit.about(birth.eventId().toString())).singleElement()
                .satisfies(r -> assertThat(r.action()).isEqualTo(AuditAction.EVENT_DELIVERED));
        assertThat(counter("jembatan.delivery.failed") - failedBefore).isEqualTo(9);
    }

    /**
     * The agency refuses the event every time (a 4xx of its own, with its answer). Result: the first attempt and
     * the two configured redeliveries reach the connector, then the event goes to {@code dlq.archive} as it was
     * published (the whole canonical event, not the fields the agency receives) with its event id, type and message
     * group, and why: {@code JembatanErrorCode} AGENCY_REJECTED, the reason, no field errors, the agency's answer;
     * it is counted as dead-lettered and nothing is audited as delivered.
     */
    @Test
    void aRefusedEventIsDeadLetteredAfterTheConfiguredAttempts() throws Exception {
        RecordingConnector agency = connectors.of(QUICK);
        agency.answer(call -> new AgencyRejectedException(ErrorCode.AGENCY_REJECTED, "archive answered 422: no",
                "{\"error\":\"no such district\"}", null));
        long deadLetteredBefore = counter("jembatan.delivery.dead-lettered");

        BirthRegistered birth = publish(citizens.birth());

        TextMessage dead = awaitDeadLetter(QUICK, birth.eventId());
        assertThat(agency.callsFor(birth.eventId())).as("first attempt and 2 redeliveries").isEqualTo(3);
        assertThat(dead.getText()).isEqualTo(CanonicalJson.write(birth));
        assertThat(dead.getStringProperty(BusHeaders.EVENT_TYPE)).isEqualTo("BirthRegistered");
        assertThat(dead.getStringProperty(BusHeaders.GROUP_ID)).isEqualTo(group(birth));
        assertThat(dead.getStringProperty(BusHeaders.ERROR_CODE)).isEqualTo("AGENCY_REJECTED");
        assertThat(dead.getStringProperty(BusHeaders.ERROR_REASON)).isEqualTo("archive answered 422: no");
        assertThat(new ObjectMapper().readTree(dead.getStringProperty(BusHeaders.ERROR_DETAILS))).isEmpty();
        assertThat(dead.getStringProperty(BusHeaders.AGENCY_RESPONSE)).isEqualTo("{\"error\":\"no such district\"}");
        assertThat(counter("jembatan.delivery.dead-lettered") - deadLetteredBefore).isEqualTo(1);
        assertThat(audit.about(birth.eventId().toString())).isEmpty();
    }

    /**
     * The agency refuses the event for a reason no retry changes (two records of the citizen). Result: one attempt
     * only, and the event is in {@code dlq.archive} at once with code AGENCY_MULTIPLE_MATCHES, so the citizen's
     * later events are not held up behind retries.
     */
    @Test
    void aPermanentRefusalIsDeadLetteredAtTheFirstAttempt() throws Exception {
        RecordingConnector agency = connectors.of(QUICK);
        agency.answer(call -> new AgencyRejectedPermanentlyException(ErrorCode.AGENCY_MULTIPLE_MATCHES,
                "archive holds 2 records of the citizen", null, null));

        BirthRegistered birth = publish(citizens.birth());

        TextMessage dead = awaitDeadLetter(QUICK, birth.eventId());
        assertThat(agency.callsFor(birth.eventId())).isEqualTo(1);
        assertThat(dead.getStringProperty(BusHeaders.ERROR_CODE)).isEqualTo("AGENCY_MULTIPLE_MATCHES");
        assertThat(dead.getStringProperty(BusHeaders.ERROR_REASON)).isEqualTo("archive holds 2 records of the citizen");
        assertThat(dead.getText()).isEqualTo(CanonicalJson.write(birth));
    }

    /**
     * Five births of five citizens wait in the agency's queue (its route stopped) when the route starts. Result: they
     * are handed to the connector in one call, in queue order, and their five {@code EVENT_DELIVERED} entries are
     * appended to the audit trail together, as one group; the queue is empty afterwards.
     */
    @Test
    void eventsWaitingTogetherAreDeliveredInOneCallAndAuditedInOneGroup() throws Exception {
        RecordingConnector agency = connectors.of(QUICK);
        List<UUID> published = whileStopped(QUICK, () -> {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(publish(citizens.birth()).eventId());
            }
            return ids;
        });

        await("audited").atMost(WAIT).until(() -> published.stream()
                .allMatch(id -> !audit.about(id.toString()).isEmpty()));
        assertThat(agency.batches()).containsExactly(published);
        assertThat(audit.groups()).anySatisfy(group -> assertThat(group)
                .extracting(r -> UUID.fromString(r.reference())).containsExactlyElementsOf(published));
        for (UUID id : published) {
            assertThat(queued(QUICK, id)).isFalse();
        }
    }

    /**
     * Three events of one citizen and two of another wait together (one message group each). Result: the agency is
     * never handed two events of one citizen at once: the first of each citizen in one call, then the second of
     * each, then the third; each citizen's events reach it in the order they were published.
     */
    @Test
    void aCitizensEventsAreHandedOverOneAtATimeInOrder() throws Exception {
        RecordingConnector agency = connectors.of(QUICK);
        List<BirthRegistered> first = new ArrayList<>();
        List<BirthRegistered> second = new ArrayList<>();
        whileStopped(QUICK, () -> {
            for (int i = 0; i < 3; i++) {
                first.add(publish(citizens.birth(), "group-first"));
                if (i < 2) {
                    second.add(publish(citizens.birth(), "group-second"));
                }
            }
            return null;
        });

        await("all delivered").atMost(WAIT).until(() -> agency.calls().size() == 5);
        assertThat(agency.batches()).containsExactly(
                List.of(first.get(0).eventId(), second.get(0).eventId()),
                List.of(first.get(1).eventId(), second.get(1).eventId()),
                List.of(first.get(2).eventId()));
    }

    /**
     * Three births wait together; the agency refuses the second for good (two records of that citizen). Result: the
     * first and third are delivered and audited, and acknowledged with the batch; the second alone is in
     * {@code dlq.archive} with its reason.
     */
    @Test
    void aRefusedEventGoesAloneToTheDeadLettersWhileTheOthersAreDelivered() throws Exception {
        RecordingConnector agency = connectors.of(QUICK);
        List<BirthRegistered> births = List.of(citizens.birth(), citizens.birth(), citizens.birth());
        agency.answer(call -> call == 2 ? new AgencyRejectedPermanentlyException(ErrorCode.AGENCY_MULTIPLE_MATCHES,
                "archive holds 2 records of the citizen", null, null) : null);
        whileStopped(QUICK, () -> {
            for (BirthRegistered birth : births) {
                publish(birth);
            }
            return null;
        });

        TextMessage dead = awaitDeadLetter(QUICK, births.get(1).eventId());
        assertThat(dead.getStringProperty(BusHeaders.ERROR_CODE)).isEqualTo("AGENCY_MULTIPLE_MATCHES");
        await("the others audited").atMost(WAIT).until(() -> !audit.about(births.get(2).eventId().toString())
                .isEmpty());
        assertThat(audit.about(births.get(0).eventId().toString())).hasSize(1);
        assertThat(audit.about(births.get(1).eventId().toString())).isEmpty();
        for (BirthRegistered birth : births) {
            assertThat(queued(QUICK, birth.eventId())).isFalse();
        }
    }

    /**
     * The slow agency is unreachable; its route is stopped (as at shutdown, or an operator's pause) while the
     * rolled-back batch waits a minute to be taken again. Result: the stop does not wait for that minute and makes no
     * attempt (the connector was called once); the event is back on the agency's queue (rolled back, not
     * dead-lettered, not lost); once the route runs again and the agency is back, it is delivered and audited once.
     */
    @Test
    void aDeliveryInProgressIsRolledBackNotRetriedWhenTheRouteStops() throws Exception {
        RecordingConnector agency = connectors.of(SLOW);
        agency.answer(call -> new AgencyUnavailableException("shelter unreachable", null));
        String route = AgencyDeliveryRoute.routeId(SLOW);

        DeathRegistered death = publish(citizens.death(citizens.citizen().nik(), CitizenFixtures.today()));
        await("the first attempt failed").atMost(WAIT).until(() -> agency.callsFor(death.eventId()) == 1);
        camel.getRouteController().stopRoute(route, 5, TimeUnit.SECONDS);

        assertThat(camel.getRouteController().getRouteStatus(route)).isEqualTo(ServiceStatus.Stopped);
        assertThat(agency.callsFor(death.eventId())).as("no attempt while stopping").isEqualTo(1);
        // The stopped consumer's thread rolls its transaction back after the stop has returned.
        await("rolled back onto the agency's queue").atMost(WAIT).until(() -> queued(SLOW, death.eventId()));
        assertThat(deadLetter(SLOW, death.eventId())).isEmpty();

        agency.answer(call -> null);
        camel.getRouteController().startRoute(route);
        await("delivered after the restart").atMost(WAIT).until(() -> !audit.about(death.eventId().toString())
                .isEmpty());
        assertThat(agency.callsFor(death.eventId())).isEqualTo(2);
        assertThat(audit.about(death.eventId().toString())).hasSize(1);
    }

    /** Publishes while the agency's route is stopped, so that what is published waits together; then starts it. */
    private <T> T whileStopped(String agency, Callable<T> publishing) throws Exception {
        String route = AgencyDeliveryRoute.routeId(agency);
        camel.getRouteController().stopRoute(route);
        T published = publishing.call();
        camel.getRouteController().startRoute(route);
        return published;
    }

    /** Publishes an event on {@code citizen.events} as the outbox relay does: canonical JSON, the bus's headers. */
    private <E extends CitizenEvent> E publish(E event) throws JMSException {
        return publish(event, group(event));
    }

    private <E extends CitizenEvent> E publish(E event, String group) throws JMSException {
        try (Connection connection = broker.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage(CanonicalJson.write(event));
            message.setStringProperty(BusHeaders.EVENT_ID, event.eventId().toString());
            message.setStringProperty(BusHeaders.EVENT_TYPE, event.eventType().wireName());
            message.setStringProperty(BusHeaders.GROUP_ID, group);
            session.createProducer(session.createTopic("citizen.events")).send(message);
        }
        return event;
    }

    private static String group(CitizenEvent event) {
        return "group-of-" + event.eventId();
    }

    /** Waits (blocking receive) for the event in the agency's dead letters, and takes it. */
    private TextMessage awaitDeadLetter(String agency, UUID eventId) throws JMSException {
        try (Connection connection = broker.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("dlq." + agency),
                    BusHeaders.EVENT_ID + " = '" + eventId + "'");
            Message dead = consumer.receive(WAIT.toMillis());
            assertThat(dead).as("event %s in dlq.%s", eventId, agency).isInstanceOf(TextMessage.class);
            return (TextMessage) dead;
        }
    }

    private Optional<Message> deadLetter(String agency, UUID eventId) throws JMSException {
        return browse("dlq." + agency, eventId).stream().findFirst();
    }

    private boolean queued(String agency, UUID eventId) throws JMSException {
        return !browse("citizen.events::" + agency, eventId).isEmpty();
    }

    private List<Message> browse(String queue, UUID eventId) throws JMSException {
        try (Connection connection = broker.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue),
                    BusHeaders.EVENT_ID + " = '" + eventId + "'");
            List<Message> found = new ArrayList<>();
            for (Object m : Collections.list(browser.getEnumeration())) {
                found.add((Message) m);
            }
            return found;
        }
    }

    private long counter(String name) {
        var counter = meters.find(name).tag("agency", QUICK).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /**
     * The route and what it calls, as the bus wires them, around a broker in memory and the recording agency. Only
     * Camel's own auto-configuration runs: no database, no HTTP.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    @EnableConfigurationProperties({AgenciesSettings.class, BrokerSettings.class, AccessPolicySettings.class})
    @Import({AgencyDeliveryRoute.class, AgencyBatchDelivery.class, EventTraces.class, Subscriptions.class, AccessPolicy.class,
            ConnectorRegistry.class, DeadLetters.class, JmsBatchComponent.class, DeliveryMetrics.class,
            DeliveryService.class, DeliveryAudit.class})
    static class Wiring {

        /** The name the settings' readers wait for; the whole configuration check is the config module's. */
        @Bean
        Object configurationCheck() {
            return new Object();
        }

        @Bean(destroyMethod = "stop")
        EmbeddedActiveMQ broker() throws Exception {
            ConfigurationImpl config = new ConfigurationImpl();
            config.setPersistenceEnabled(false);
            config.setSecurityEnabled(false);
            config.setJMXManagementEnabled(false);
            config.addAcceptorConfiguration("in-vm", BROKER);
            // Each agency's queue takes the event types it subscribes to, as the bus creates them.
            config.addQueueConfiguration(QueueConfiguration.of(QUICK).setAddress("citizen.events")
                    .setRoutingType(RoutingType.MULTICAST).setFilterString("JembatanEventType = 'BirthRegistered'"));
            config.addQueueConfiguration(QueueConfiguration.of(SLOW).setAddress("citizen.events")
                    .setRoutingType(RoutingType.MULTICAST).setFilterString("JembatanEventType = 'DeathRegistered'"));
            // As broker.xml: the delivery routes retry themselves; a rollback comes back at once, without limit.
            config.addAddressSetting("citizen.events", new AddressSettings().setMaxDeliveryAttempts(-1)
                    .setRedeliveryDelay(0));
            EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
            broker.setConfiguration(config);
            broker.start();
            return broker;
        }

        /** The broker's unpooled factory, as the bus names it for the {@code jms-batch:} consumers. */
        @Bean(BusConnections.DEDICATED)
        ConnectionFactory connectionFactory(EmbeddedActiveMQ broker) {
            return new ActiveMQConnectionFactory(BROKER);
        }

        @Bean
        RecordingConnectors recordingConnectors() {
            return new RecordingConnectors();
        }

        @Bean
        RecordingAuditTrail auditTrail() {
            return new RecordingAuditTrail();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        /**
         * The sync side of a delivery, for live events only: these messages carry no snapshot and no record version
         * (the relay sets it; this test sends them itself), so the index and the sync tables are never read and
         * what remains is the audit of the delivered events. Sync deliveries are tested end to end (SyncIT).
         */
        @Bean
        SyncDelivery syncDelivery(DeliveryAudit deliveryAudit, RecordingAuditTrail auditTrail, MeterRegistry meters) {
            return new SyncDelivery(null, null, null, deliveryAudit, auditTrail, null, new SyncMetrics(meters));
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        ObjectMapper objectMapper() {
            return CanonicalJson.mapper();
        }
    }
}
