package id.jembatan.outbox;

import id.jembatan.bus.BrokerSettings;
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
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
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
 * <p>When events are sparse, the thread that applied them publishes them itself: after a commit of the inbound
 * queue's consumer ({@code jembatan.outbox.publish-after-ingest}), if the relay is idle, that thread runs the same
 * batch (lease, read, send, broker commit, delete) at once instead of waking the relay's thread, which saves a
 * hand-over per event when each comes alone (docs/performance.md). When the relay is busy, the thread only wakes it,
 * as an HTTP group commit always does (its callers wait for their answers). Either way one thread at a time uses
 * the relay's broker session, and the lease keeps the outbox's order.
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
    /** Held while the relay's broker session is in use: by its own thread, or by an ingest thread publishing. */
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
     * As soon as an ingest transaction has committed: publishes on this thread when it is the inbound queue's
     * consumer and the relay is idle, else wakes the relay instead of leaving the events to its next poll. Never
     * throws: the events are committed whatever happens here, and a failure leaves them to the relay's thread.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onEventApplied(EventApplied applied) {
        if (!publishAfterIngest || applied.channel() != Channel.JMS || !running() || !inUse.tryLock()) {
            wake();
            return;
        }
        try {
            if (publishBatch() == batchSize) {
                // More may be waiting: the relay's thread goes on with them.
                wake();
            }
        } catch (JMSException | RuntimeException e) {
            log.debug("Publishing after ingest failed, the relay's thread takes over: {}", Failures.describe(e));
            closeQuietly();
            wake();
        } finally {
            inUse.unlock();
        }
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
                if (jdbc.sql("SELECT id FROM outbox_relay_lease WHERE id = 1 FOR UPDATE SKIP LOCKED")
                        .query(Integer.class).optional().isEmpty()) {
                    return 0;
                }
                List<Pending> batch = jdbc.sql("""
                                SELECT id, event_id, event_type, nik, payload, trace_parent, citizen_version
                                FROM outbox
                                ORDER BY id
                                LIMIT ?""")
                        .param(batchSize)
                        .query((rs, row) -> new Pending(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getObject(7, Long.class)))
                        .list();
                if (batch.isEmpty()) {
                    return 0;
                }
                try {
                    send(batch);
                } catch (JMSException e) {
                    throw new BrokerSendFailed(e);
                }
                // A crash before this transaction commits leaves the rows in place: the next holder of the lease
                // sends them again and the broker drops them as duplicates.
                // One array parameter, whatever the batch's size: one statement the driver prepares once (a list of
                // literals was a new statement for PostgreSQL to parse and plan with every batch).
                jdbc.sql("DELETE FROM outbox WHERE id = ANY (?::bigint[])")
                        .param(batch.stream().map(Pending::id).toArray(Long[]::new))
                        .update();
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

    /** Sends one batch in one broker transaction. */
    private void send(List<Pending> batch) throws JMSException {
        ensureSession();
        try {
            for (Pending p : batch) {
                send(producer, transacted, p);
            }
            transacted.commit();
        } catch (JMSException e) {
            if (!DuplicateRejection.is(e)) {
                throw e;
            }
            // The broker already holds some of these events (a relay stopped after sending a batch and before
            // deleting its rows). A duplicate id inside a transaction rolls the whole transaction back, so this
            // batch goes again message by message without one: the broker then drops each repeat on its own.
            log.info("Outbox batch of {} holds events the broker already has; resending one by one", batch.size());
            try (Session single = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 MessageProducer singleProducer = single.createProducer(single.createTopic(address))) {
                singleProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (Pending p : batch) {
                    send(singleProducer, single, p);
                }
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
     * Sends one event in a producer span, a child of the apply that queued it; the message carries the span's
     * {@code traceparent}, from which each agency's delivery route continues the trace.
     */
    private void send(MessageProducer producer, Session session, Pending p) throws JMSException {
        Span span = traces.publishing(address, p.traceParent(), p.eventId(), p.eventType());
        try {
            TextMessage message = toMessage(session, p);
            String traceParent = EventTraces.traceParent(span);
            if (traceParent != null) {
                message.setStringProperty(TraceContext.TRACEPARENT, traceParent);
            }
            producer.send(message);
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
            if (connection != null) {
                try {
                    connection.close();
                } catch (JMSException e) {
                    log.debug("Closing the relay's broker connection failed", e);
                }
            }
            connection = null;
            transacted = null;
            producer = null;
        } finally {
            inUse.unlock();
        }
    }
}
