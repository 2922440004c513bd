package id.jembatan.routes.broker;

import id.jembatan.bus.BrokerTransaction;
import id.jembatan.bus.Failures;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Takes a queue in batches, one broker transaction each. Each of the endpoint's consumers holds a connection, a
 * transacted session and a JMS consumer of its own, and loops: wait for a message, take what else is waiting (after
 * lingering, if asked to) up to the batch size, hand the batch to the route as one exchange ({@link JmsBatch}), then
 * send what the route passes on to other queues and the messages it refused to the dead-letter queue
 * ({@link DeadLetters}) and commit (or let the route's committer commit, {@link JmsBatch#commitWith}, which may send
 * more in the same transaction first); if the route failed, roll back instead, so the broker delivers the whole batch
 * again, after {@code retryDelay} (doubling with each rollback in a row up to {@code maximumRetryDelay}). A consumer that loses its connection
 * reconnects after a delay. Stopping or suspending the route lets every consumer finish the batch in hand (it
 * commits or rolls back), then closes its connection: nothing is left prefetched or unacknowledged.
 *
 * <p>Message groups: the broker gives each group ({@code JMSXGroupID}: a citizen) to one consumer at a time, so a
 * batch never holds a message whose group another consumer is working on, and one consumer's batches keep each
 * group's order. With {@code splitAfterRollback}, a rolled-back batch's messages come back one per transaction:
 * where the broker dead-letters a message after a number of attempts ({@code max-delivery-attempts}), one that
 * keeps failing for a reason of its own then gets there alone, never with its batch.
 */
final class JmsBatchConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger log = LoggerFactory.getLogger(JmsBatchConsumer.class);
    /** How long an idle consumer waits for a message before it looks again whether it should stop. */
    private static final long RECEIVE_MILLIS = 1_000;

    /**
     * One start of the consumers: they consume while it lasts; a stop ends it, a later start makes a new one. A
     * consumer waiting for the first message of a batch is registered here, so that ending the run closes it and its
     * wait returns at once instead of at the end of {@link #RECEIVE_MILLIS}: a context's stop would otherwise wait up
     * to a second for each route that takes a queue in batches.
     */
    private static final class Run {
        private final CountDownLatch ended = new CountDownLatch(1);
        private final Set<AtomicReference<MessageConsumer>> waiting = ConcurrentHashMap.newKeySet();

        boolean active() {
            return ended.getCount() > 0;
        }

        /** Ends the run and closes each consumer waiting for a first message (none has a batch in hand). */
        void end() {
            ended.countDown();
            for (AtomicReference<MessageConsumer> slot : waiting) {
                MessageConsumer consumer = slot.getAndSet(null);
                if (consumer != null) {
                    try {
                        // JMS: a receive blocked in another thread returns null when its consumer is closed.
                        consumer.close();
                    } catch (JMSException | RuntimeException e) {
                        log.debug("Closing a waiting consumer at the stop: {}", Failures.describe(e));
                    }
                }
            }
        }

        /** Waits {@code delay} or until the run ends; returns whether it is still active. */
        boolean pause(Duration delay) {
            try {
                return !ended.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private final JmsBatchEndpoint.Options options;
    private final DeadLetters deadLetters;
    private Run run;
    private ExecutorService workers;

    JmsBatchConsumer(JmsBatchEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.options = endpoint.options();
        this.deadLetters = endpoint.getComponent().deadLetters();
    }

    @Override
    public JmsBatchEndpoint getEndpoint() {
        return (JmsBatchEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        startConsumers();
    }

    @Override
    protected void doStop() throws Exception {
        stopConsumers();
        super.doStop();
    }

    @Override
    protected void doSuspend() {
        stopConsumers();
    }

    @Override
    protected void doResume() {
        startConsumers();
    }

    private synchronized void startConsumers() {
        if (workers != null) {
            return;
        }
        Run current = new Run();
        run = current;
        workers = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "jms-batch " + options.queue(), options.consumers());
        for (int i = 0; i < options.consumers(); i++) {
            workers.execute(() -> consume(current));
        }
        log.info("Consuming '{}' with {} consumer(s), up to {} messages per transaction", options.queue(),
                options.consumers(), options.batchSize());
    }

    /** Ends the run and waits (up to {@code stopTimeout}) for each consumer to finish its batch and disconnect. */
    private synchronized void stopConsumers() {
        if (workers == null) {
            return;
        }
        run.end();
        getEndpoint().getCamelContext().getExecutorServiceManager()
                .shutdownGraceful(workers, options.stopTimeout().toMillis());
        workers = null;
    }

    private void consume(Run run) {
        AtomicReference<MessageConsumer> waitingOn = new AtomicReference<>();
        run.waiting.add(waitingOn);
        try {
            consumeUntilStopped(run, waitingOn);
        } finally {
            run.waiting.remove(waitingOn);
        }
    }

    private void consumeUntilStopped(Run run, AtomicReference<MessageConsumer> waitingOn) {
        while (run.active()) {
            try (Connection connection = getEndpoint().getComponent().connectionFactory().createConnection()) {
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(options.queue()));
                MessageProducer deadLetterQueue = session.createProducer(
                        session.createQueue(options.deadLetterQueue()));
                deadLetterQueue.setDeliveryMode(DeliveryMode.PERSISTENT);
                connection.start();
                MessageProducer forwards = session.createProducer(null);
                forwards.setDeliveryMode(DeliveryMode.PERSISTENT);
                int alone = 0;
                int failures = 0;
                while (run.active()) {
                    List<Message> messages = receive(consumer, alone > 0 ? 1 : options.batchSize(), run, waitingOn);
                    if (messages.isEmpty()) {
                        continue;
                    }
                    if (process(messages, session, deadLetterQueue, forwards, run)) {
                        alone = Math.max(0, alone - messages.size());
                        failures = 0;
                    } else {
                        if (options.splitAfterRollback() && messages.size() > 1) {
                            alone = Math.max(alone, messages.size());
                        }
                        run.pause(options.retryDelayAfter(++failures));
                    }
                }
            } catch (JMSException | RuntimeException e) {
                // Closing the connection rolled back the batch in hand, if any: the broker delivers it again.
                if (run.active()) {
                    // A broker failure, or one of the database or a committer the batch's transaction was in.
                    log.warn("Consumer of '{}' failed, its batch is rolled back; reconnecting in {}: {}",
                            options.queue(), options.reconnectDelay(), Failures.describe(e));
                    run.pause(options.reconnectDelay());
                }
            } catch (Error fatal) {
                // The consumer carries on rather than leave the queue with one consumer fewer, or none, and nothing
                // in the log but this.
                log.error("Consumer of '{}' failed, its batch is rolled back; going on in {}", options.queue(),
                        options.reconnectDelay(), fatal);
                run.pause(options.reconnectDelay());
            }
        }
    }

    /**
     * Waits for a first message, then takes what else is there, up to {@code max}: what is already waiting, or what
     * arrives within {@code linger} of the first. A stop cuts the lingering short.
     */
    private List<Message> receive(MessageConsumer consumer, int max, Run run,
                                  AtomicReference<MessageConsumer> waitingOn) throws JMSException {
        waitingOn.set(consumer);
        if (!run.active()) {
            // The run ended before it could see this consumer waiting.
            return List.of();
        }
        Message first = consumer.receive(RECEIVE_MILLIS);
        if (waitingOn.getAndSet(null) == null || first == null) {
            // Nothing came, or the stop closed the consumer: a message it returned meanwhile stays unacknowledged in
            // the transaction, which closing the connection rolls back.
            return List.of();
        }
        List<Message> batch = new ArrayList<>(Math.min(max, 128));
        batch.add(first);
        long lingerEnd = System.nanoTime() + options.linger().toNanos();
        while (batch.size() < max) {
            long left = TimeUnit.NANOSECONDS.toMillis(lingerEnd - System.nanoTime());
            boolean lingering = left > 0 && run.active();
            // receive(0) would wait for ever: past the linger time, only what is already there.
            Message next = lingering ? consumer.receive(Math.min(left, RECEIVE_MILLIS)) : consumer.receiveNoWait();
            if (next != null) {
                batch.add(next);
            } else if (!lingering || left <= RECEIVE_MILLIS) {
                // Nothing more, or a wait that lasted to the end of the linger time brought nothing: the batch goes
                // as it is. No receiveNoWait after such a wait: on an empty buffer it asks the broker to force a
                // delivery and waits for its answer, a round trip for every batch a single event makes.
                break;
            }
        }
        return batch;
    }

    /**
     * Hands the batch to the route; returns whether it committed. A broker failure while dead-lettering or committing
     * is thrown: the caller reconnects, and closing the session rolls the batch back.
     */
    private boolean process(List<Message> messages, Session session, MessageProducer deadLetterQueue,
                            MessageProducer forwards, Run run) throws JMSException {
        JmsBatch batch = new JmsBatch(messages, run::pause);
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(batch);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            Exception failure = exchange.getException();
            if (failure == null) {
                for (JmsBatch.Forward forward : batch.forwards()) {
                    forwards.send(session.createQueue(forward.queue()), message(session, forward));
                }
                for (JmsBatch.Refusal refusal : batch.refusals()) {
                    deadLetterQueue.send(deadLetters.deadLetter(session, refusal.message(), refusal.why(),
                            options.queue()));
                }
                if (commit(batch, session, forwards)) {
                    return true;
                }
                // The broker refused the commit: what the batch took and sent is rolled back.
                failure = new JMSException("the broker rolled the batch's transaction back");
            }
            session.rollback();
            // Types only: a failure's message may quote the batch's personal data (a database driver's does).
            log.warn("Batch of {} message(s) from '{}' rolled back, the broker delivers it again{}: {}",
                    messages.size(), options.queue(), options.retryDelay().isZero() ? ""
                            : " (taken again after a back-off from " + options.retryDelay() + ")",
                    Failures.describe(failure));
            return false;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** Commits the batch's transaction, or lets the route's committer do it; returns whether it committed. */
    private static boolean commit(JmsBatch batch, Session session, MessageProducer forwards) throws JMSException {
        JmsBatch.Committer committer = batch.committer();
        if (committer == null) {
            session.commit();
            return true;
        }
        return committer.commit(new BrokerTransaction() {
            @Override
            public Session session() {
                return session;
            }

            @Override
            public MessageProducer producer() {
                return forwards;
            }

            @Override
            public void commit() throws JMSException {
                session.commit();
            }
        });
    }

    /** The JMS message for a message the route passes on: a text or bytes body, string properties. */
    private static Message message(Session session, JmsBatch.Forward forward) throws JMSException {
        Message message;
        if (forward.body() instanceof String text) {
            message = session.createTextMessage(text);
        } else {
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes((byte[]) forward.body());
            message = bytes;
        }
        for (Map.Entry<String, String> property : forward.properties().entrySet()) {
            message.setStringProperty(property.getKey(), property.getValue());
        }
        return message;
    }
}
