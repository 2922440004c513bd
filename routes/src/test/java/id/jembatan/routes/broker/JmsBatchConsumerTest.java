package id.jembatan.routes.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code jms-batch:} consumer against a real ActiveMQ Artemis broker in this JVM (in-VM, in memory), in a plain
 * Camel context: what it takes per transaction, when it commits, rolls back and dead-letters, and how it stops,
 * pauses and reconnects.
 */
class JmsBatchConsumerTest {

    private static final String IN_VM = "vm://417";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String queue = "batch.in." + UUID.randomUUID();
    private final String deadLetterQueue = "dlq." + queue;
    /** What the route was given: one entry per exchange, the texts of its messages in order. */
    private final List<Taken> taken = new CopyOnWriteArrayList<>();
    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;
    private CamelContext camel;

    private record Taken(List<String> texts, String thread) {
    }

    @BeforeEach
    void startBrokerAndCamel() throws Exception {
        broker = startBroker();
        factory = new ActiveMQConnectionFactory(IN_VM);
        camel = new DefaultCamelContext();
        camel.addComponent(JmsBatchComponent.SCHEME,
                new JmsBatchComponent(factory, new DeadLetters(new ObjectMapper())));
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        factory.close();
        broker.stop();
    }

    private static EmbeddedActiveMQ startBroker() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("in-vm", IN_VM);
        // A rolled-back message comes again at once and is never dead-lettered by the broker.
        config.addAddressSetting("#", new AddressSettings().setRedeliveryDelay(0).setMaxDeliveryAttempts(-1));
        EmbeddedActiveMQ started = new EmbeddedActiveMQ().setConfiguration(config);
        started.start();
        return started;
    }

    /**
     * Seven messages wait; the route takes batches of up to five. Result: the route is given the five oldest in one
     * exchange and the other two in a second, in the order sent, and once both committed the queue is empty.
     */
    @Test
    void takesWhatIsWaitingUpToTheBatchSizeAndCommits() throws Exception {
        List<String> sent = send(7, null);

        route("batchSize=5", recordTaken());

        await().atMost(WAIT).until(() -> taken.size() == 2);
        assertThat(taken).extracting(Taken::texts).containsExactly(sent.subList(0, 5), sent.subList(5, 7));
        await().atMost(WAIT).until(() -> messageCount(queue) == 0);
    }

    /**
     * The route lingers 30 s for a full batch of three; one message is sent, then two more. Result: the three go as
     * one batch as soon as the third is there, long before the linger time.
     */
    @Test
    void lingersForMoreUntilTheBatchIsFull() throws Exception {
        route("batchSize=3&linger=30s", recordTaken());
        List<String> sent = new ArrayList<>(send(1, null));
        await().atMost(WAIT).until(() -> deliveringCount(queue) == 1);
        long start = System.nanoTime();

        sent.addAll(send(2, null));

        await().atMost(WAIT).until(() -> taken.size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(taken.get(0).texts()).isEqualTo(sent);
    }

    /**
     * The route lingers 700 ms for a batch of ten and only one message comes. Result: it is given that one message
     * alone, and not before the linger time has passed.
     */
    @Test
    void aBatchThatDoesNotFillGoesWhenTheLingerTimeIsUp() throws Exception {
        route("batchSize=10&linger=700ms", recordTaken());
        long start = System.nanoTime();

        List<String> sent = send(1, null);

        await().atMost(WAIT).until(() -> taken.size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(taken.get(0).texts()).isEqualTo(sent);
    }

    /**
     * A batch of four in which the route refuses the second (one of our coded refusals) and the fourth (an unexpected
     * failure); each message carries an event id, a message group and a duplicate-detection id. Result: the first
     * and third are acknowledged; the second and fourth are in the dead-letter queue, unchanged, with their event id
     * and group and without the duplicate-detection id, the second with its code, our reason and its field errors,
     * the fourth as INTERNAL_ERROR with a reason that names no exception class or message.
     */
    @Test
    void refusedMessagesAreDeadLetteredInTheBatchsTransaction() throws Exception {
        List<String> sent = send(4, "group-a");
        route("batchSize=4", exchange -> {
            JmsBatch batch = exchange.getMessage().getBody(JmsBatch.class);
            batch.deadLetter(batch.messages().get(1), JembatanException.of(List.of(
                    new FieldError(ErrorCode.NIK_INVALID_DATE, "/citizen/nik", "no such day"))));
            batch.deadLetter(batch.messages().get(3), new IllegalStateException("Value too long: 'Siti'"));
        });

        Map<String, Message> dead = new HashMap<>();
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(deadLetterQueue));
            connection.start();
            for (int i = 0; i < 2; i++) {
                Message message = consumer.receive(WAIT.toMillis());
                assertThat(message).as("dead letter " + (i + 1)).isNotNull();
                dead.put(((TextMessage) message).getText(), message);
            }
        }
        assertThat(dead).containsOnlyKeys(sent.get(1), sent.get(3));
        Message refused = dead.get(sent.get(1));
        assertThat(refused.getStringProperty("JembatanEventId")).isEqualTo("event-" + sent.get(1));
        assertThat(refused.getStringProperty("JMSXGroupID")).isEqualTo("group-a");
        assertThat(refused.propertyExists("_AMQ_DUPL_ID")).isFalse();
        assertThat(refused.getStringProperty("JembatanErrorCode")).isEqualTo("NIK_INVALID_DATE");
        assertThat(refused.getStringProperty("JembatanErrorReason")).isEqualTo("no such day");
        assertThat(new ObjectMapper().readTree(refused.getStringProperty("JembatanErrorDetails"))
                .findValuesAsText("pointer")).containsExactly("/citizen/nik");
        Message failed = dead.get(sent.get(3));
        assertThat(failed.getStringProperty("JembatanErrorCode")).isEqualTo("INTERNAL_ERROR");
        assertThat(failed.getStringProperty("JembatanErrorReason")).isEqualTo(DeadLetters.INTERNAL_REASON)
                .doesNotContain("IllegalStateException").doesNotContain("Siti");
        assertThat(failed.getStringProperty("JembatanErrorDetails")).isEqualTo("[]");
        await().atMost(WAIT).until(() -> messageCount(queue) == 0);
    }

    /**
     * An event carrying the duplicate-detection id it was published with is refused and dead-lettered, replayed from
     * the dead-letter queue (Artemis' moveMessages, as the operators' replay does) and refused again. Result: it is
     * in the dead-letter queue again; the dead-letter address does not drop the second dead letter as a repeat.
     */
    @Test
    void anEventRefusedAgainAfterAReplayIsDeadLetteredAgain() throws Exception {
        route("batchSize=1", exchange -> {
            recordTaken().process(exchange);
            JmsBatch batch = exchange.getMessage().getBody(JmsBatch.class);
            batch.deadLetter(batch.messages().get(0), new JembatanException(ErrorCode.AGENCY_REJECTED, "no"));
        });
        send(1, "group-a");
        await().atMost(WAIT).until(() -> messageCount(deadLetterQueue) == 1);

        QueueControl deadLetters = (QueueControl) broker.getActiveMQServer().getManagementService()
                .getResource(ResourceNames.QUEUE + deadLetterQueue);
        assertThat(deadLetters.moveMessages(null, queue)).isEqualTo(1);

        await().atMost(WAIT).until(() -> taken.size() == 2);
        await().atMost(WAIT).until(() -> messageCount(deadLetterQueue) == 1);
    }

    /**
     * The route fails its first batch of four (the database down, say), then succeeds; splitAfterRollback is on.
     * Result: nothing of the failed batch is acknowledged or dead-lettered; its four messages come back, each in a
     * transaction of its own, in order, and are then acknowledged.
     */
    @Test
    void aFailedBatchIsRolledBackAndComesBackOneMessageAtATime() throws Exception {
        List<String> sent = send(4, "group-a");
        AtomicInteger calls = new AtomicInteger();
        route("batchSize=10&splitAfterRollback=true", exchange -> {
            recordTaken().process(exchange);
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
        });

        await().atMost(WAIT).until(() -> taken.size() == 5);
        assertThat(taken).extracting(Taken::texts).containsExactly(sent, sent.subList(0, 1), sent.subList(1, 2),
                sent.subList(2, 3), sent.subList(3, 4));
        await().atMost(WAIT).until(() -> messageCount(queue) == 0);
        assertThat(messageCount(deadLetterQueue)).isZero();
    }

    /**
     * The route lets a committer commit its batch of three (as ingest lets the outbox relay publish what it applied);
     * the committer sends one message to another queue in the batch's transaction, then commits. Result: the other
     * queue holds that message, the batch is acknowledged, and the committer was called once.
     */
    @Test
    void aCommitterSendsInTheBatchsTransactionAndCommitsIt() throws Exception {
        String published = "published." + queue;
        AtomicInteger commits = new AtomicInteger();
        send(3, null);
        route("batchSize=3", exchange -> exchange.getMessage().getBody(JmsBatch.class).commitWith(transaction -> {
            commits.incrementAndGet();
            transaction.producer().send(transaction.session().createQueue(published),
                    transaction.session().createTextMessage("applied"));
            transaction.commit();
            return true;
        }));

        await().atMost(WAIT).until(() -> messageCount(published) == 1);
        await().atMost(WAIT).until(() -> messageCount(queue) == 0);
        assertThat(commits).hasValue(1);
    }

    /**
     * A committer sends one message to another queue and then reports that the broker rolled the transaction back
     * (a duplicate it refused), the first time only. Result: the message it sent the first time is never seen; the
     * batch comes again, the second commit goes through, and the other queue holds exactly one message.
     */
    @Test
    void aBatchWhoseCommitterReportsARollbackComesAgain() throws Exception {
        String published = "published." + queue;
        AtomicInteger commits = new AtomicInteger();
        List<String> sent = send(1, "group-a");
        route("batchSize=1", exchange -> {
            recordTaken().process(exchange);
            exchange.getMessage().getBody(JmsBatch.class).commitWith(transaction -> {
                transaction.producer().send(transaction.session().createQueue(published),
                        transaction.session().createTextMessage("applied " + commits.incrementAndGet()));
                if (commits.get() == 1) {
                    return false;
                }
                transaction.commit();
                return true;
            });
        });

        await().atMost(WAIT).until(() -> commits.get() == 2);
        await().atMost(WAIT).until(() -> messageCount(queue) == 0);
        assertThat(taken).extracting(Taken::texts).containsExactly(sent, sent);
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(published));
            connection.start();
            assertThat(((TextMessage) consumer.receive(WAIT.toMillis())).getText()).isEqualTo("applied 2");
            assertThat(consumer.receiveNoWait()).isNull();
        }
    }

    /**
     * Messages of two citizens (groups) interleaved, taken by three consumers in batches of two. Result: each
     * citizen's messages are all given to one consumer, in the order sent; a batch never holds a message of a
     * citizen another consumer is working on.
     */
    @Test
    void eachCitizensMessagesGoToOneConsumerInOrder() throws Exception {
        List<String> groupA = new ArrayList<>();
        List<String> groupB = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            groupA.addAll(send(1, "citizen-a"));
            groupB.addAll(send(1, "citizen-b"));
        }

        route("batchSize=2&consumers=3", recordTaken());

        await().atMost(WAIT).until(() -> taken.stream().mapToInt(t -> t.texts().size()).sum() == 20);
        for (List<String> group : List.of(groupA, groupB)) {
            List<Taken> batches = taken.stream().filter(t -> t.texts().stream().anyMatch(group::contains)).toList();
            assertThat(batches).extracting(Taken::thread).as("consumers of one citizen").containsOnly(
                    batches.get(0).thread());
            List<String> inOrder = batches.stream().flatMap(t -> t.texts().stream()).filter(group::contains)
                    .toList();
            assertThat(inOrder).isEqualTo(group);
        }
    }

    /**
     * The route is working on a batch when it is stopped (an operator pauses it, or the bus shuts down). Result: the
     * stop waits for that batch, which commits; then no consumer is left on the queue and the messages sent since
     * wait there; after a start they are taken.
     */
    @Test
    void aStopLetsTheBatchInHandFinishAndAStartTakesUpAgain() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        route("batchSize=10", exchange -> {
            recordTaken().process(exchange);
            working.countDown();
            if (!finish.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never let the batch finish");
            }
        });
        List<String> first = send(3, null);
        assertThat(working.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        ServiceSupport consumer = (ServiceSupport) camel.getRoute("batch").getConsumer();
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().stopRoute("batch");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(WAIT).until(() -> consumer.isSuspendingOrSuspended() || consumer.isStoppingOrStopped());
        assertThat(stopped).as("the stop waits for the batch in hand").isNotDone();
        finish.countDown();
        stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(taken).extracting(Taken::texts).containsExactly(first);
        assertThat(messageCount(queue)).isZero();
        assertThat(consumerCount(queue)).isZero();
        List<String> later = send(2, null);
        assertThat(messageCount(queue)).isEqualTo(2);

        camel.getRouteController().startRoute("batch");

        await().atMost(WAIT).until(() -> taken.size() == 2);
        assertThat(taken.get(1).texts()).isEqualTo(later);
    }

    /**
     * Messages keep coming while the route, with four consumers mostly waiting for a first message, is stopped and
     * started again and again (a stop closes a waiting consumer to end its wait). Result: every message is taken
     * once, none is lost or taken twice, and the queue ends empty.
     */
    @Test
    void stopsAndStartsWhileMessagesComeLoseNothing() throws Exception {
        route("batchSize=5&consumers=4", recordTaken());
        List<String> sent = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    sent.addAll(send(1, "citizen-" + (i % 7)));
                    Thread.sleep(2);
                }
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (!sender.isDone()) {
            camel.getRouteController().stopRoute("batch");
            camel.getRouteController().startRoute("batch");
        }
        sender.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        await().atMost(WAIT).until(() -> taken.stream().mapToInt(t -> t.texts().size()).sum() >= sent.size());
        assertThat(taken.stream().flatMap(t -> t.texts().stream()).toList()).containsExactlyInAnyOrderElementsOf(sent);
        await().atMost(WAIT).until(() -> messageCount(queue) == 0);
    }

    /**
     * The route is suspended (Camel's suspend, as from Hawtio) and resumed. Result: while suspended no consumer is on
     * the queue and a message sent waits there; after resume it is taken.
     */
    @Test
    void suspendAndResume() throws Exception {
        route("batchSize=10", recordTaken());
        await().atMost(WAIT).until(() -> consumerCount(queue) == 1);

        camel.getRouteController().suspendRoute("batch");

        assertThat(consumerCount(queue)).isZero();
        List<String> sent = send(1, null);
        assertThat(messageCount(queue)).isEqualTo(1);
        camel.getRouteController().resumeRoute("batch");
        await().atMost(WAIT).until(() -> taken.size() == 1);
        assertThat(taken.get(0).texts()).isEqualTo(sent);
    }

    /**
     * The broker stops under a running consumer and starts again. Result: the consumer reconnects on its own and
     * takes a message sent after the restart.
     */
    @Test
    void theConsumerReconnectsAfterTheBrokerComesBack() throws Exception {
        route("batchSize=10&reconnectDelay=200ms", recordTaken());
        await().atMost(WAIT).until(() -> consumerCount(queue) == 1);

        broker.stop();
        broker = startBroker();

        List<String> sent = send(1, null);
        await().atMost(WAIT).until(() -> taken.size() == 1);
        assertThat(taken.get(0).texts()).isEqualTo(sent);
    }

    /** Starts a route {@code batch} on the test's queue with these options. */
    private void route(String options, Processor processor) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(JmsBatchComponent.SCHEME + ":" + queue + "?deadLetterQueue=" + deadLetterQueue + "&" + options)
                        .routeId("batch")
                        .errorHandler(noErrorHandler())
                        .process(processor);
            }
        });
    }

    private Processor recordTaken() {
        return exchange -> taken.add(new Taken(texts(exchange), Thread.currentThread().getName()));
    }

    private static List<String> texts(Exchange exchange) throws JMSException {
        List<String> texts = new ArrayList<>();
        for (Message message : exchange.getMessage().getBody(JmsBatch.class).messages()) {
            texts.add(((TextMessage) message).getText());
        }
        return texts;
    }

    /** Sends {@code count} text messages in one transaction, each with an event id, group and duplicate id. */
    private List<String> send(int count, String group) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (int i = 0; i < count; i++) {
                String text = UUID.randomUUID().toString();
                producer.send(message(session, text, "event-" + text, group, "dupl-" + text));
                texts.add(text);
            }
            session.commit();
        }
        return texts;
    }

    private static Message message(Session session, String text, String eventId, String group, String duplicateId)
            throws JMSException {
        TextMessage message = session.createTextMessage(text);
        message.setStringProperty("JembatanEventId", eventId);
        message.setStringProperty("_AMQ_DUPL_ID", duplicateId);
        if (group != null) {
            message.setStringProperty("JMSXGroupID", group);
        }
        return message;
    }

    private long messageCount(String name) {
        return brokerQueue(name).map(Queue::getMessageCount).orElse(0L);
    }

    private long deliveringCount(String name) {
        return brokerQueue(name).map(Queue::getDeliveringCount).map(Number::longValue).orElse(0L);
    }

    private int consumerCount(String name) {
        return brokerQueue(name).map(Queue::getConsumerCount).orElse(0);
    }

    private Optional<Queue> brokerQueue(String name) {
        return Optional.ofNullable(broker.getActiveMQServer().locateQueue(SimpleString.of(name)));
    }
}
