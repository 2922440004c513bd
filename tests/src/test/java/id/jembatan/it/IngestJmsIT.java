package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.ingest.IngestMetrics;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.NameChanged;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The civil registry's inbound queue {@code civilregistry.events.in}: the same validation as HTTP ingest. */
class IngestJmsIT extends BusTestSupport {

    /** A property the tests set on what they send, to find exactly their own dead letters. */
    private static final String RUN = "ItRun";

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    JdbcClient jdbc;

    /**
     * The civil registry sends a birth as a JMS text message over TCP. Result: it is applied and published on
     * {@code citizen.events} with the citizen's message group, exactly as over HTTP.
     */
    @Test
    void eventFromTheQueueTakesTheSamePath() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        BirthRegistered birth = fixtures.birth();

        sendToInbound(json(birth));

        Message published = receiveEvent(subscriber, birth.eventId().toString());
        assertThat(published.getStringProperty("JMSXGroupID")).isEqualTo(groupOf(birth.citizen().nik()));
        assertThat(JSON.readTree(((TextMessage) published).getText())).isEqualTo(JSON.readTree(json(birth)));
        assertThat(get("/api/v1/citizens/" + birth.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY).statusCode()).isEqualTo(200);
    }

    /**
     * A poison message (not JSON), then a birth with an impossible NIK date, then a valid birth as a bytes message.
     * Result: the first two land in {@code dlq.civil-registry} unchanged, with their error codes and reasons in
     * headers, and nothing of the refused birth is kept (no journal or audit entry); the valid one behind them
     * still flows through.
     */
    @Test
    void poisonMessagesAreDeadLetteredAndTheQueueKeepsFlowing() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        Session session = session(false);
        MessageConsumer deadLetters = session.createConsumer(session.createQueue("dlq.civil-registry"));
        BirthRegistered invalid = fixtures.birth();
        String badNik = invalid.citizen().nik().substring(0, 6) + "320190" + invalid.citizen().nik().substring(12);
        String invalidBody = json(invalid).replace(invalid.citizen().nik(), badNik);
        BirthRegistered valid = fixtures.birth();

        sendToInbound("this is not an event");
        sendToInbound(invalidBody);
        MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(json(valid).getBytes(StandardCharsets.UTF_8));
        producer.send(bytes);

        assertThat(receiveEvent(subscriber, valid.eventId().toString())).isNotNull();
        // Two consumers work the queue in parallel, so the dead letters may arrive in either order.
        Map<String, Message> byCode = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Message dead = deadLetters.receive(20_000);
            assertThat(dead).as("dead letter " + (i + 1)).isNotNull();
            byCode.put(dead.getStringProperty("JembatanErrorCode"), dead);
        }
        assertThat(byCode).containsOnlyKeys("MALFORMED_JSON", "NIK_INVALID_DATE");
        assertThat(body(byCode.get("MALFORMED_JSON"))).isEqualTo("this is not an event");
        Message invalidNik = byCode.get("NIK_INVALID_DATE");
        assertThat(invalidNik.getStringProperty("JembatanErrorReason")).isNotBlank();
        JsonNode details = JSON.readTree(invalidNik.getStringProperty("JembatanErrorDetails"));
        assertThat(details.findValuesAsText("pointer")).contains("/citizen/nik");
        assertThat(body(invalidNik)).isEqualTo(invalidBody);
        // Nothing of the refused birth was kept: no journal entry, no audit entry (a lookup of its NIK is 400 in
        // any case, the NIK being invalid).
        assertThat(jdbc.sql("SELECT COUNT(*) FROM citizen_event WHERE event_id = ?").param(invalid.eventId())
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE reference = ?")
                .param(invalid.eventId().toString()).query(Long.class).single()).isZero();
        assertProblem(get("/api/v1/citizens/" + badNik + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY),
                400, "NIK_INVALID_DATE");
    }

    /**
     * The same event arrives twice on the queue, then another birth and a message that is not JSON, all in one
     * message group (one consumer, in order). Result: the event is applied and published once, before the other
     * birth; the repeat is acknowledged without a dead letter: the first dead letter of this run is the message
     * that is not JSON.
     */
    @Test
    void repeatedEventOnTheQueueIsPublishedOnce() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        BirthRegistered birth = fixtures.birth();
        BirthRegistered marker = fixtures.birth();
        String run = UUID.randomUUID().toString();
        String group = birth.citizen().nik();

        sendToInbound(json(birth), group, run);
        sendToInbound(json(birth), group, run);
        sendToInbound(json(marker), group, run);
        sendToInbound("end of run " + run, group, run);

        assertThat(copiesUntil(subscriber, birth.eventId(), marker.eventId())).isEqualTo(1);
        assertFirstDeadLetterIsTheEndOf(run);
    }

    /**
     * A birth from the queue is applied and published; then its outbox row is put back, as a relay killed after the
     * broker's commit and before the rows' delete leaves it, and a second birth and a message that is not JSON come on
     * the queue in the same group. The consumer publishes the pending rows in its own broker transaction, which the
     * broker refuses for the first birth it already holds. Result: the second birth is published and the first
     * is not published again; the message that is not JSON is the run's first dead letter (the second birth
     * is not dead-lettered though its first transaction was rolled back); the outbox no longer holds the row.
     */
    @Test
    void anEventTheBrokerAlreadyHoldsDoesNotStopTheNextOnesPublication() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        BirthRegistered first = fixtures.birth();
        BirthRegistered second = fixtures.birth();
        String run = UUID.randomUUID().toString();
        String group = first.citizen().nik();
        sendToInbound(json(first), group, run);
        Message published = receiveEvent(subscriber, first.eventId().toString());
        // The row is deleted in the relay's transaction, which commits after the broker's.
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows(first.eventId()) == 0);

        jdbc.sql("""
                        INSERT INTO outbox (event_id, created_at, event_type, nik, payload)
                        VALUES (?, now(), ?, ?, ?)""")
                .params(first.eventId(), published.getStringProperty("JembatanEventType"), first.citizen().nik(),
                        ((TextMessage) published).getText())
                .update();
        sendToInbound(json(second), group, run);
        sendToInbound("end of run " + run, group, run);

        // The pending rows go in outbox order: a copy of the first birth the broker let through would come before.
        assertThat(copiesUntil(subscriber, first.eventId(), second.eventId()))
                .as("copies of the first birth published again").isZero();
        assertFirstDeadLetterIsTheEndOf(run);
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows(first.eventId()) == 0);
    }

    /**
     * A citizen's name change is sent over HTTP and on the inbound queue at the same moment (a registry trying again
     * on its other channel), then a message that is not JSON in the same group. Result: whichever commits first, the
     * change is applied once: the HTTP answer is 202, or 200 DUPLICATE; the queue's copy is acknowledged without a
     * dead letter (the run's first dead letter is the message that is not JSON); one journal row, one
     * EVENT_ACCEPTED audit entry, the record at version 2, and one publication before a birth posted after it.
     */
    @Test
    void theSameEventOverHttpAndTheQueueAtOnceIsAppliedOnce(@Autowired JdbcTemplate jdbc) throws Exception {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        NameChanged renamed = fixtures.nameChange(nik, birth.citizen().fullName().split(" ")[0] + " Lubis");
        MessageConsumer subscriber = subscribeToCitizenEvents();
        String run = UUID.randomUUID().toString();
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> overHttp = CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(renamed));
        });

        go.countDown();
        sendToInbound(json(renamed), nik, run);
        sendToInbound("end of run " + run, nik, run);

        HttpResponse<String> answer = overHttp.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isIn(200, 202);
        if (answer.statusCode() == 200) {
            assertThat(read(answer).get("status").asText()).isEqualTo("DUPLICATE");
        }
        Session session = session(false);
        Message dead = session.createConsumer(session.createQueue("dlq.civil-registry"), RUN + " = '" + run + "'")
                .receive(20_000);
        assertThat(dead).as("the run's last message, dead-lettered").isNotNull();
        assertThat(body(dead)).as("the first dead letter of the run").isEqualTo("end of run " + run);
        String id = renamed.eventId().toString();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM citizen_event WHERE event_id = ?::uuid", Long.class, id))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_entry WHERE action = 'EVENT_ACCEPTED'"
                + " AND reference = ?", Long.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT version FROM citizen WHERE nik = ?", Long.class, nik)).isEqualTo(2);

        BirthRegistered marker = fixtures.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(marker)).statusCode()).isEqualTo(202);
        int copies = 0;
        for (String published = null; !marker.eventId().toString().equals(published); ) {
            Message m = subscriber.receive(20_000);
            assertThat(m).as("published before the marker").isNotNull();
            published = m.getStringProperty("JembatanEventId");
            copies += id.equals(published) ? 1 : 0;
        }
        assertThat(copies).isEqualTo(1);
    }

    /**
     * A citizen's two address changes arrive on the queue in one message group while the database is busy: another
     * transaction holds every lane of the audit chain (their head rows) past the lock timeout, so applying the first change fails for a
     * transient reason. Result: the ingest is rolled back and the broker holds the message for redelivery (its
     * management shows it scheduled) while the rows are still locked; once the lock is released the first change is
     * retried before the second is taken, both are applied and published in the order sent, and the master record
     * ends with the second address.
     */
    @Test
    void transientDatabaseFailureKeepsTheCitizensOrder(@Autowired PlatformTransactionManager transactions,
                                                        @Autowired JdbcTemplate jdbcTemplate) throws Exception {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        AddressChanged first = fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address()));
        AddressChanged second = fixtures.addressChange(nik, fixtures.otherAddress(first.address()));
        MessageConsumer subscriber = subscribeToCitizenEvents();
        QueueControl inbound = brokerQueue("civilregistry.events.in", "civilregistry.events.in", RoutingType.ANYCAST);

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
            jdbcTemplate.queryForList("SELECT seq FROM audit_head FOR UPDATE", Long.class);
            locked.countDown();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "audit-head-holder");
        holder.start();
        try {
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            Session session = session(false);
            MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
            for (AddressChanged change : List.of(first, second)) {
                TextMessage message = session.createTextMessage(json(change));
                message.setStringProperty("JMSXGroupID", nik);
                producer.send(message);
            }
            await("the first change failed and waits at the broker for redelivery").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20)).until(() -> inbound.getScheduledCount() > 0);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM citizen_event WHERE event_id = ?").param(first.eventId())
                    .query(Long.class).single()).as("not applied while the row is locked").isZero();
        } finally {
            release.countDown();
            holder.join();
        }

        Set<String> ours = Set.of(first.eventId().toString(), second.eventId().toString());
        List<String> published = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (published.size() < 2 && System.nanoTime() < deadline) {
            Message message = subscriber.receive(1_000);
            if (message instanceof TextMessage text) {
                String eventId = JSON.readTree(text.getText()).path("eventId").asText();
                if (ours.contains(eventId)) {
                    published.add(eventId);
                }
            }
        }
        assertThat(published).containsExactly(first.eventId().toString(), second.eventId().toString());
        JsonNode record = read(get("/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION",
                CIVIL_REGISTRY_KEY));
        assertThat(record.path("address").path("street").asText()).isEqualTo(second.address().street());
    }

    /**
     * The civil registry sends, in one transaction and one message group, a citizen's birth and two moves, and
     * between them four messages the bus must refuse or ignore: the same birth under a new event id (refused by the
     * master index, after the birth before it was applied in the same batch), the first move again (a duplicate),
     * another move reusing the first move's event id, and a message without a readable body; last, a text that is
     * not an event. Result: the consumer takes them in batches (fewer transactions than messages); the birth and both
     * moves are applied and published once each, in order; exactly the three refused messages are dead-lettered
     * before the last one, unchanged, each with its own code; the duplicate is acknowledged without a trace; the
     * master record has the second address.
     */
    @Test
    void aBatchAppliesWhatIsValidAndDeadLettersEachRefusalAlone(@Autowired IngestMetrics metrics) throws Exception {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        AddressChanged first = fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address()));
        AddressChanged second = fixtures.addressChange(nik, fixtures.otherAddress(first.address()));
        BirthRegistered again = new BirthRegistered(UUID.randomUUID(), birth.occurredAt(), birth.citizen());
        String conflicting = json(first).replace(first.address().street(), first.address().street() + " B");
        MessageConsumer subscriber = subscribeToCitizenEvents();
        long[] batchesBefore = metrics.batches();

        List<String> bodies = List.of(json(birth), json(first), json(again), json(first), conflicting,
                json(second));
        try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
            Session session = registry.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
            for (String body : bodies) {
                TextMessage message = session.createTextMessage(body);
                message.setStringProperty("JMSXGroupID", nik);
                producer.send(message);
            }
            MapMessage unreadable = session.createMapMessage();
            unreadable.setString("nik", nik);
            unreadable.setStringProperty("JMSXGroupID", nik);
            producer.send(unreadable);
            TextMessage end = session.createTextMessage("end of the batch " + nik);
            end.setStringProperty("JMSXGroupID", nik);
            producer.send(end);
            session.commit();
        }

        Set<String> ours = Set.of(birth.eventId().toString(), first.eventId().toString(),
                second.eventId().toString(), again.eventId().toString());
        List<String> published = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (published.size() < 3 && System.nanoTime() < deadline) {
            Message message = subscriber.receive(1_000);
            if (message != null && ours.contains(message.getStringProperty("JembatanEventId"))) {
                published.add(message.getStringProperty("JembatanEventId"));
            }
        }
        assertThat(published).containsExactly(birth.eventId().toString(), first.eventId().toString(),
                second.eventId().toString());

        Session session = session(false);
        MessageConsumer deadLetters = session.createConsumer(session.createQueue("dlq.civil-registry"),
                "JMSXGroupID = '" + nik + "'");
        // Every dead letter of the batch, up to its last message (refused too): the duplicate is not one.
        Map<String, Message> byCode = new HashMap<>();
        for (Message dead = deadLetters.receive(20_000); !isEndOfBatch(dead, nik); dead = deadLetters.receive(20_000)) {
            assertThat(byCode.put(dead.getStringProperty("JembatanErrorCode"), dead)).as("a second dead letter with"
                    + " code " + dead.getStringProperty("JembatanErrorCode")).isNull();
        }
        assertThat(byCode).containsOnlyKeys("CITIZEN_ALREADY_REGISTERED", "EVENT_ID_CONFLICT", "MALFORMED_JSON");
        assertThat(body(byCode.get("CITIZEN_ALREADY_REGISTERED"))).isEqualTo(json(again));
        assertThat(body(byCode.get("EVENT_ID_CONFLICT"))).isEqualTo(conflicting);
        assertThat(byCode.get("MALFORMED_JSON")).isInstanceOf(MapMessage.class);
        assertThat(((MapMessage) byCode.get("MALFORMED_JSON")).getString("nik")).isEqualTo(nik);
        assertThat(byCode.get("MALFORMED_JSON").getStringProperty("JembatanErrorReason")).contains("text or bytes");

        JsonNode record = read(get("/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION",
                CIVIL_REGISTRY_KEY));
        assertThat(record.path("address").path("street").asText()).isEqualTo(second.address().street());
        long[] batchesAfter = metrics.batches();
        assertThat(batchesAfter[1] - batchesBefore[1]).as("messages taken").isGreaterThanOrEqualTo(bodies.size() + 2);
        assertThat(batchesAfter[0] - batchesBefore[0]).as("transactions").isLessThan(bodies.size() + 2);
    }

    /**
     * Who may use the inbound queue over TCP. Result: a client without a user and one with a wrong key cannot
     * connect; another agency (tax, with its own key) is refused when it sends; the civil registry, signed in as
     * {@code civil-registry} with its key, sends and its event is applied, but may not read the queue back.
     */
    @Test
    void onlyTheCivilRegistrySendsToTheInboundQueue() throws Exception {
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(brokerUrl()).createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> brokerClient("civil-registry", "not-its-key").createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        BirthRegistered refused = fixtures.birth();
        try (Connection tax = brokerClient("tax", TAX_KEY).createConnection()) {
            Session session = tax.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
            assertThatThrownBy(() -> producer.send(session.createTextMessage(json(refused))))
                    .isInstanceOf(JMSSecurityException.class);
        }
        BirthRegistered birth = fixtures.birth();
        try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
            Session session = registry.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("civilregistry.events.in"))
                    .send(session.createTextMessage(json(birth)));
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("civilregistry.events.in")))
                    .isInstanceOf(JMSSecurityException.class);
        }
        await().atMost(DEFAULT_WAIT).until(() -> get("/api/v1/citizens/" + birth.citizen().nik()
                + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY).statusCode() == 200);
        assertThat(get("/api/v1/citizens/" + refused.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION",
                CIVIL_REGISTRY_KEY).statusCode()).isEqualTo(404);
    }

    /**
     * An operator pauses the inbound queue through the Ingest MBean (as from Hawtio), and the civil registry sends
     * two births. Result: the broker shows no consumer on the queue; neither birth is applied, the MBean shows them
     * waiting in the queue and the consumer paused, as
     * does {@code /actuator/health/ingest} (PAUSED, answered 200); after resume() both are applied, the queue is
     * empty and the indicator is UP.
     */
    @Test
    void anOperatorPausesTheInboundQueueAndNothingIsLost() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName ingest = new ObjectName("id.jembatan:type=Ingest");
        List<BirthRegistered> births = List.of(fixtures.birth(), fixtures.birth());
        jmx.invoke(ingest, "pause", null, null);
        try {
            assertThat((Boolean) jmx.getAttribute(ingest, "Paused")).isTrue();
            for (BirthRegistered birth : births) {
                sendToInbound(json(birth));
            }
            await().atMost(DEFAULT_WAIT).until(() -> (Long) jmx.getAttribute(ingest, "Backlog") >= births.size());
            // Nobody consumes the queue (as the broker sees it): nothing can take them while paused.
            QueueControl inbound = brokerQueue("civilregistry.events.in", "civilregistry.events.in",
                    RoutingType.ANYCAST);
            await().atMost(DEFAULT_WAIT).until(() -> inbound.getConsumerCount() == 0);
            assertThat((Long) jmx.getAttribute(ingest, "Backlog")).isEqualTo(births.size());
            for (BirthRegistered birth : births) {
                assertThat(lookupStatus(birth)).isEqualTo(404);
            }
            HttpResponse<String> health = get("/actuator/health/ingest", OPERATOR_KEY);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(read(health).get("status").asText()).isEqualTo("PAUSED");
            assertThat(read(health).at("/details/backlog").asLong()).isEqualTo(births.size());
        } finally {
            jmx.invoke(ingest, "resume", null, null);
        }
        assertThat((Boolean) jmx.getAttribute(ingest, "Paused")).isFalse();
        await().atMost(DEFAULT_WAIT).until(() -> births.stream().allMatch(b -> lookupStatus(b) == 200));
        await().atMost(DEFAULT_WAIT).until(() -> (Long) jmx.getAttribute(ingest, "Backlog") == 0);
        assertThat(read(get("/actuator/health/ingest", OPERATOR_KEY)).get("status").asText()).isEqualTo("UP");
    }

    private int lookupStatus(BirthRegistered birth) {
        return get("/api/v1/citizens/" + birth.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION",
                CIVIL_REGISTRY_KEY).statusCode();
    }

    private long outboxRows(UUID eventId) {
        return jdbc.sql("SELECT COUNT(*) FROM outbox WHERE event_id = ?").param(eventId).query(Long.class).single();
    }

    /** Receives published events until {@code last}; returns how many copies of {@code counted} came before it. */
    private static int copiesUntil(MessageConsumer subscriber, UUID counted, UUID last) throws JMSException {
        int copies = 0;
        boolean lastSeen = false;
        while (!lastSeen) {
            Message m = subscriber.receive(20_000);
            assertThat(m).as("event " + last + " published").isNotNull();
            String id = m.getStringProperty("JembatanEventId");
            copies += counted.toString().equals(id) ? 1 : 0;
            lastSeen = last.toString().equals(id);
        }
        return copies;
    }

    /** The first dead letter of {@code run} is its last message ("end of run"): none of its events before it. */
    private void assertFirstDeadLetterIsTheEndOf(String run) throws JMSException {
        Session session = session(false);
        MessageConsumer deadLetters = session.createConsumer(session.createQueue("dlq.civil-registry"),
                RUN + " = '" + run + "'");
        Message dead = deadLetters.receive(20_000);
        assertThat(dead).as("the run's last message, dead-lettered").isNotNull();
        assertThat(body(dead)).as("the first dead letter of the run").isEqualTo("end of run " + run);
    }

    /** Sends as the civil registry does, in a message group, marked as this run's. */
    private void sendToInbound(String text, String group, String run) throws JMSException {
        try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
            Session session = registry.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage(text);
            message.setStringProperty("JMSXGroupID", group);
            message.setStringProperty(RUN, run);
            session.createProducer(session.createQueue("civilregistry.events.in")).send(message);
        }
    }

    private static boolean isEndOfBatch(Message dead, String nik) throws JMSException {
        assertThat(dead).as("a dead letter of the batch").isNotNull();
        return dead instanceof TextMessage text && ("end of the batch " + nik).equals(text.getText());
    }

    /** Sends as the civil registry does: signed in as {@code civil-registry} with its key. */
    private void sendToInbound(String text) throws JMSException {
        try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
            Session session = registry.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("civilregistry.events.in")).send(session.createTextMessage(text));
        }
    }

    private static String body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        BytesMessage bytes = (BytesMessage) message;
        byte[] data = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(data);
        return new String(data, StandardCharsets.UTF_8);
    }
}
