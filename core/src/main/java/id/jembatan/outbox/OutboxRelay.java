package id.jembatan.outbox;

import id.jembatan.bus.BrokerSettings;
import id.jembatan.bus.BrokerTransaction;
import id.jembatan.bus.BrokerWorker;
import id.jembatan.bus.BusConnections;
import id.jembatan.bus.DuplicateRejection;
import id.jembatan.bus.Failures;
import id.jembatan.bus.MessageGroups;
import id.jembatan.connector.TraceContext;
import id.jembatan.ingest.Channel;
import id.jembatan.ingest.EventApplied;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.trace.EventTraces;
import id.jembatan.tx.AsynchronousCommit;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves applied events from the outbox table to the broker's {@code citizen.events} address: persistent, with the
 * citizen's message group ({@link MessageGroups}: a keyed hash of the NIK, never the NIK) and the event id as Artemis
 * duplicate-detection id. A batch is sent in one broker
 * transaction and then deleted from the outbox; if the bus dies between the two, the batch is sent again after the
 * restart and the broker drops the repeats, so each applied event is published exactly once. Several bus instances
 * on one database take turns: a batch is read, sent and deleted under a row lock on {@code outbox_relay_lease}
 * ({@code FOR UPDATE SKIP LOCKED}), so only one instance publishes at a time, in outbox order.
 *
 * <p>It sends with a transacted JMS session of its own, where every other flow produces through Camel: the batch's
 * broker transaction commits inside the database transaction that holds the lease and before the rows are deleted,
 * and when the broker refuses that commit because it already holds one of the events (a known duplicate-detection id
 * rolls a whole transaction back), the same batch goes again at once, message by message without a transaction,
 * under the same lease. Camel sends several messages in one broker transaction only from a {@code transacted()}
 * route with a JMS transaction manager, which commits when the route ends: the refusal would then come back as a
 * rolled-back transaction wrapped by Spring, after the route, for a second route to resend, and the context would
 * carry a second transaction manager beside the database's. Two sends and a commit do not need that machinery.
 *
 * <p>Events that came in on the inbound queue are published in that queue's own broker transaction
 * ({@code jembatan.outbox.publish-after-ingest}, on by default; {@link #publishWithin}): after the consumer's database
 * commit its thread takes the lease, sends the pending events in the consumer's transaction and commits it, so one
 * broker commit (one journal sync) carries the inbound messages' acknowledgement and their publication; then it
 * deletes the rows. The order of commits: the ingest's database transaction (index, journal, outbox row), the
 * broker transaction (acknowledgement and publication), the relay's database transaction (the rows' delete, which
 * releases the lease). A crash after the first leaves the outbox row and the inbound message: the message comes
 * again and is recognised as a duplicate, the relay publishes the row after the restart. A crash after the second
 * leaves the row, which the relay publishes again and the broker drops as a duplicate. HTTP group commits only wake
 * the relay's thread (their callers wait for their answers), and so does the inbound consumer when another thread or
 * bus instance holds the lease. The relay's own database transactions (lease and delete) commit without waiting for
 * the disk: one the database forgets in a crash leaves rows already published, which are published again and dropped
 * by the broker as repeats.
 */
@Component
public class OutboxRelay extends BrokerWorker {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private record Pending(long id, UUID eventId, String eventType, String nik, String payload, String traceParent,
                           Long citizenVersion) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ConnectionFactory connectionFactory;
    private final MessageGroups groups;
    private final EventTraces traces;
    private final String address;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration retryDelay;
    private final boolean publishAfterIngest;
    /** Held while the relay's broker session is in use: by its own thread, or by a consumer resending a batch. */
    private final ReentrantLock inUse = new ReentrantLock();
    private Connection connection;
    private Session transacted;
    private MessageProducer producer;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate transaction,
                       @Qualifier(BusConnections.DEDICATED) ConnectionFactory connectionFactory,
                       MessageGroups groups, BrokerSettings broker, OutboxSettings settings, EventTraces traces) {
        super("outbox-relay", "Outbox relay", settings.autoStartup());
        this.jdbc = jdbc;
        this.traces = traces;
        this.groups = groups;
        // A transaction of its own even on an ingest thread after its commit, where Spring still has the committed
        // transaction's connection bound (what an AFTER_COMMIT listener's work would otherwise join, uncommitted).
        this.transaction = new TransactionTemplate(transaction.getTransactionManager(), transaction);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.connectionFactory = connectionFactory;
        this.address = broker.eventsAddress();
        this.batchSize = settings.batchSize();
        this.pollInterval = settings.pollInterval();
        this.retryDelay = settings.retryDelay();
        this.publishAfterIngest = settings.publishAfterIngest();
    }

    /**
     * As soon as an ingest transaction has committed: wakes the relay instead of leaving the events to its next poll,
     * unless they came in on the inbound queue, whose consumer publishes them in its own broker transaction
     * ({@link #publishWithin}).
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onEventApplied(EventApplied applied) {
        if (!publishAfterIngest || applied.channel() != Channel.JMS || !running()) {
            wake();
        }
    }

    /**
     * Publishes the pending events in {@code consumer}'s broker transaction and commits it: one commit for what the
     * consumer took and the events it applied. Under the lease, in outbox order, up to a batch; the rows are deleted
     * after the broker commit, in the database transaction that holds the lease. When another thread or instance
     * holds the lease, or publishing inline is off, it only commits the consumer's transaction (and wakes the relay).
     *
     * @return true when the consumer's transaction committed; false when the broker refused it because it already
     *         holds some of the events (a relay stopped after sending them and before deleting their rows): the
     *         whole transaction is then rolled back, and the events were sent again here one by one (the broker
     *         drops only the repeats) and their rows deleted; the consumer's messages come again, as duplicates
     * @throws JMSException when the broker failed before the commit was known to succeed: the rows stay for the
     *         relay's thread, which is woken
     */
    public boolean publishWithin(BrokerTransaction consumer) throws JMSException {
        if (!publishAfterIngest || !running()) {
            consumer.commit();
            return true;
        }
        AtomicBoolean committed = new AtomicBoolean();
        Integer published;
        try {
            published = transaction.execute(status -> {
                List<Pending> batch = leaseAndRead();
                if (batch == null || batch.isEmpty()) {
                    return batch == null ? null : 0;
                }
                try {
                    Topic events = consumer.session().createTopic(address);
                    for (Pending p : batch) {
                        send(consumer.producer(), events, consumer.session(), p);
                    }
                    consumer.commit();
                    committed.set(true);
                } catch (JMSException e) {
                    if (!DuplicateRejection.is(e)) {
                        throw new BrokerSendFailed(e);
                    }
                    resendAlone(batch);
                    delete(batch);
                    return -1;
                }
                delete(batch);
                return batch.size();
            });
        } catch (BrokerSendFailed e) {
            wake();
            throw e.getCause();
        } catch (RuntimeException e) {
            wake();
            if (!committed.get()) {
                throw e;
            }
            // The broker committed, the rows' delete did not: the relay's thread sends them again and the broker
            // drops the repeats.
            log.debug("Deleting published outbox rows failed, the relay's thread takes over: {}",
                    Failures.describe(e));
            return true;
        }
        if (published == null || published == 0) {
            consumer.commit();
            if (published == null) {
                // Another thread or instance holds the lease: it may have read the outbox before these rows were
                // committed.
                wake();
            }
            return true;
        }
        if (published == batchSize) {
            // More may be waiting: the relay's thread goes on with them.
            wake();
        }
        return published > 0;
    }

    @Override
    protected void started() {
        log.info("Outbox relay publishing to '{}' in batches of up to {}", address, batchSize);
    }

    /** Publishes a batch; waits for the next commit or poll when it was not full. */
    @Override
    protected long step() throws JMSException {
        inUse.lock();
        try {
            return publishBatch() < batchSize ? -1 : 0;
        } finally {
            inUse.unlock();
        }
    }

    @Override
    protected Duration pollInterval() {
        return pollInterval;
    }

    @Override
    protected Duration retryDelay() {
        return retryDelay;
    }

    /**
     * Publishes the oldest pending events; returns how many. Holds the relay lease (a row lock) from reading the
     * batch until its rows are deleted: when another bus instance on the same database holds it, this one publishes
     * nothing and tries again at its next poll. The caller holds {@link #inUse}.
     */
    private int publishBatch() throws JMSException {
        try {
            Integer sent = transaction.execute(status -> {
                List<Pending> batch = leaseAndRead();
                if (batch == null || batch.isEmpty()) {
                    return 0;
                }
                try {
                    send(batch);
                } catch (JMSException e) {
                    throw new BrokerSendFailed(e);
                }
                // A crash before this transaction commits leaves the rows in place: the next holder of the lease
                // sends them again and the broker drops them as duplicates.
                delete(batch);
                return batch.size();
            });
            int count = sent == null ? 0 : sent;
            if (count > 0) {
                log.debug("Published {} events to '{}'", count, address);
            }
            return count;
        } catch (BrokerSendFailed e) {
            throw e.getCause();
        }
    }

    /**
     * Takes the relay lease (a row lock until the current transaction ends) and reads the oldest pending events, up
     * to a batch; null when another thread or bus instance holds the lease. The transaction will commit without
     * waiting for PostgreSQL to write its WAL to disk ({@code synchronous_commit = off}, for it only).
     */
    private List<Pending> leaseAndRead() {
        // The rows' delete need not wait for the disk: if a crash of the database forgets it, the rows are published
        // again and the broker drops the repeats, as after a crash between the broker's commit and this one.
        AsynchronousCommit.forThisTransaction(jdbc);
        if (jdbc.sql("SELECT id FROM outbox_relay_lease WHERE id = 1 FOR UPDATE SKIP LOCKED")
                .query(Integer.class).optional().isEmpty()) {
            return null;
        }
        return jdbc.sql("""
                        SELECT id, event_id, event_type, nik, payload, trace_parent, citizen_version
                        FROM outbox
                        ORDER BY id
                        LIMIT ?""")
                .param(batchSize)
                .query((rs, row) -> new Pending(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getObject(7, Long.class)))
                .list();
    }

    /**
     * Deletes published rows. One array parameter, whatever the batch's size: one statement the driver prepares once
     * (a list of literals was a new statement for PostgreSQL to parse and plan with every batch).
     */
    private void delete(List<Pending> batch) {
        jdbc.sql("DELETE FROM outbox WHERE id = ANY (?::bigint[])")
                .param(batch.stream().map(Pending::id).toArray(Long[]::new))
                .update();
    }

    /** Sends one batch in one broker transaction. The caller holds {@link #inUse}. */
    private void send(List<Pending> batch) throws JMSException {
        ensureSession();
        try {
            for (Pending p : batch) {
                send(producer, null, transacted, p);
            }
            transacted.commit();
        } catch (JMSException e) {
            if (!DuplicateRejection.is(e)) {
                throw e;
            }
            // The broker already holds some of these events (a relay stopped after sending a batch and before
            // deleting its rows). A duplicate id inside a transaction rolls the whole transaction back, so this
            // batch goes again message by message without one: the broker then drops each repeat on its own.
            resendAloneInUse(batch);
        }
    }

    /** Sends a batch whose transaction the broker refused again one message at a time, without a transaction. */
    private void resendAlone(List<Pending> batch) {
        inUse.lock();
        try {
            ensureSession();
            resendAloneInUse(batch);
        } catch (JMSException e) {
            throw new BrokerSendFailed(e);
        } finally {
            inUse.unlock();
        }
    }

    private void resendAloneInUse(List<Pending> batch) throws JMSException {
        log.info("Outbox batch of {} holds events the broker already has; resending one by one", batch.size());
        try (Session single = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer singleProducer = single.createProducer(single.createTopic(address))) {
            singleProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (Pending p : batch) {
                send(singleProducer, null, single, p);
            }
        }
    }

    /** Carries a broker failure out of the database transaction, which it rolls back. */
    private static final class BrokerSendFailed extends RuntimeException {
        BrokerSendFailed(JMSException cause) {
            super(cause);
        }

        @Override
        public synchronized JMSException getCause() {
            return (JMSException) super.getCause();
        }
    }

    /**
     * Sends one event in a producer span (to {@code destination}, or the producer's own when null), a child of the
     * apply that queued it; the message carries the span's {@code traceparent}, from which each agency's delivery
     * route continues the trace.
     */
    private void send(MessageProducer producer, Topic destination, Session session, Pending p) throws JMSException {
        Span span = traces.publishing(address, p.traceParent(), p.eventId(), p.eventType());
        try {
            TextMessage message = toMessage(session, p);
            String traceParent = EventTraces.traceParent(span);
            if (traceParent != null) {
                message.setStringProperty(TraceContext.TRACEPARENT, traceParent);
            }
            if (destination == null) {
                producer.send(message);
            } else {
                producer.send(destination, message);
            }
        } catch (JMSException | RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    private TextMessage toMessage(Session session, Pending p) throws JMSException {
        TextMessage message = session.createTextMessage(p.payload());
        message.setStringProperty(BusHeaders.GROUP_ID, groups.of(p.nik()));
        message.setStringProperty(BusHeaders.DUPLICATE_ID, p.eventId().toString());
        message.setStringProperty(BusHeaders.EVENT_ID, p.eventId().toString());
        message.setStringProperty(BusHeaders.EVENT_TYPE, p.eventType());
        if (p.citizenVersion() != null) {
            message.setLongProperty(BusHeaders.CITIZEN_VERSION, p.citizenVersion());
        }
        return message;
    }

    private void ensureSession() throws JMSException {
        if (transacted != null) {
            return;
        }
        connection = connectionFactory.createConnection();
        transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
        producer = transacted.createProducer(transacted.createTopic(address));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        connection.start();
    }

    @Override
    protected void closeQuietly() {
        inUse.lock();
        try {
            BusConnections.closeQuietly(connection, log, "the relay's");
            connection = null;
            transacted = null;
            producer = null;
        } finally {
            inUse.unlock();
        }
    }
}
