package id.jembatan.sync;

import id.jembatan.bus.BrokerWorker;
import id.jembatan.bus.BusConnections;
import id.jembatan.bus.DuplicateRejection;
import id.jembatan.bus.MessageGroups;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.operations.AgencyOperations;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.model.EventType;
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
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Puts the citizens of running sync jobs on their agencies' queues: a page of NIKs at a time, in NIK order from the
 * job's checkpoint, one broker transaction per page, each message only the citizen's key (the record is read when it
 * is delivered, {@link SyncDelivery}) with the citizen's message group, so it queues in order with the citizen's live
 * events. A job holds at most {@code jembatan.sync.window} snapshots on the queue not yet taken: live events are never
 * stuck behind a whole population, and a job whose agency is paused or down waits without failing. A job's
 * {@code ratePerSecond} paces it.
 *
 * <p>Crash-safe: a page is sent and its checkpoint moved in the database transaction that locks the job's row
 * ({@code FOR NO KEY UPDATE SKIP LOCKED}, so one bus instance steps a job at a time); a bus that dies after the
 * broker took a page and before the checkpoint moved sends that page again after its restart, and the broker drops
 * the repeats by their duplicate-detection ids (the job and the NIK).
 */
@Component
public class SyncRunner extends BrokerWorker {

    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

    private final SyncJobs jobs;
    private final Subscriptions subscriptions;
    private final AgencyOperations operations;
    private final MessageGroups groups;
    private final SyncMetrics metrics;
    private final TransactionTemplate transaction;
    private final ConnectionFactory connectionFactory;
    private final SyncSettings settings;
    /**
     * When each throttled job may send its next page ({@link System#nanoTime}): each page moves it on by its size over
     * the rate.
     */
    private final Map<UUID, Long> paces = new ConcurrentHashMap<>();

    private Connection connection;
    private Session session;

    public SyncRunner(SyncJobs jobs, Subscriptions subscriptions, AgencyOperations operations, MessageGroups groups,
                      SyncMetrics metrics, TransactionTemplate transaction,
                      @Qualifier(BusConnections.DEDICATED) ConnectionFactory connectionFactory,
                      SyncSettings settings) {
        super("sync-runner", "Sync runner", settings.autoStartup());
        this.jobs = jobs;
        this.subscriptions = subscriptions;
        this.operations = operations;
        this.groups = groups;
        this.metrics = metrics;
        this.transaction = transaction;
        this.connectionFactory = connectionFactory;
        this.settings = settings;
    }

    /** A job was started: begin at once rather than at the next poll. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void onStarted(SyncJobs.Started started) {
        wake();
    }

    @Override
    protected Duration pollInterval() {
        return settings.pollInterval();
    }

    @Override
    protected Duration retryDelay() {
        return settings.retryDelay();
    }

    /**
     * One round over the running jobs: each that may send fills its window (an unthrottled job, page after page) or
     * sends its next paced page; a job whose citizens are all queued completes once the agency took them. Returns 0
     * to go on at once (something was sent), else how long to wait in nanoseconds (-1: the poll interval).
     */
    @Override
    protected long step() throws JMSException {
        List<SyncJob> current = jobs.running();
        Map<String, long[]> progress = new HashMap<>();
        subscriptions.all().forEach(s -> progress.put(s.agencyId(), new long[2]));
        long wait = -1;
        for (SyncJob job : current) {
            long[] figures = progress.computeIfAbsent(job.agency(), a -> new long[2]);
            figures[0]++;
            figures[1] += Math.max(0, Math.max(job.total(), job.sent()) - job.delivered() - job.failed());
            if (job.enqueuedAll()) {
                if (jobs.completeIfDone(job.id())) {
                    paces.remove(job.id());
                    log.info("Sync {} of {} completed: {} delivered, {} refused", job.id(), job.agency(),
                            job.delivered(), job.failed());
                }
                continue;
            }
            if (operations.paused(job.agency())) {
                continue;
            }
            long room = settings.window() - job.inFlight();
            if (room <= 0) {
                continue;
            }
            long now = System.nanoTime();
            int sent;
            if (job.ratePerSecond() != null) {
                long due = paces.getOrDefault(job.id(), now) - now;
                if (due > 0) {
                    wait = wait < 0 ? due : Math.min(wait, due);
                    continue;
                }
                // Pages of a fifth of a second's worth: the agency sees a steady stream, not bursts.
                sent = sendPage(job.id(), (int) Math.min(room, Math.max(1, job.ratePerSecond() / 5)));
            } else {
                sent = fill(job.id(), room);
            }
            metrics.count(job.agency(), SyncMetrics.SENT, sent);
            if (job.ratePerSecond() != null) {
                paces.put(job.id(), Math.max(paces.getOrDefault(job.id(), now), now)
                        + TimeUnit.SECONDS.toNanos(sent) / job.ratePerSecond());
            }
            if (sent > 0) {
                wait = 0;
            }
        }
        progress.forEach((agency, figures) -> metrics.progress(agency, figures[0], figures[1]));
        return wait;
    }

    /** Pages of an unthrottled job until its window is full or its scope sent; returns how many were sent. */
    private int fill(UUID id, long room) {
        int sent = 0;
        while (room > 0 && running()) {
            int limit = (int) Math.min(settings.pageSize(), room);
            int page = sendPage(id, limit);
            sent += page;
            room -= page;
            if (page < limit) {
                break;
            }
        }
        return sent;
    }

    /**
     * Sends the job's next page of at most {@code limit} citizens and moves its checkpoint, in one database
     * transaction holding the job's row; returns how many were sent (0 when another instance holds the job or it
     * stopped running).
     */
    private int sendPage(UUID id, int limit) {
        Integer sent = transaction.execute(status -> {
            SyncJob job = jobs.lockRunning(id).orElse(null);
            if (job == null) {
                return 0;
            }
            List<String> page = jobs.nextPage(job, limit);
            try {
                send(job, page);
            } catch (JMSException e) {
                throw new BrokerSendFailed(e);
            }
            boolean all = page.size() < limit;
            jobs.sent(id, page.size(), page.isEmpty() ? null : page.get(page.size() - 1), all);
            return page.size();
        });
        return sent == null ? 0 : sent;
    }

    /**
     * One page in one broker transaction; again one by one if the broker already holds some (a resumed page). The
     * agency's queue is a multicast queue of {@code citizen.events}: its fully qualified name as a topic reaches it
     * alone.
     */
    private void send(SyncJob job, List<String> page) throws JMSException {
        if (page.isEmpty()) {
            return;
        }
        ensureSession();
        String queue = subscriptions.require(job.agency()).queue();
        try (MessageProducer producer = session.createProducer(session.createTopic(queue))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (String nik : page) {
                producer.send(message(session, job, nik));
            }
            session.commit();
        } catch (JMSException e) {
            if (!DuplicateRejection.is(e)) {
                throw e;
            }
            log.info("Sync {} page of {} holds citizens the broker already has; resending one by one", job.id(),
                    page.size());
            try (Session single = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 MessageProducer producer = single.createProducer(single.createTopic(queue))) {
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (String nik : page) {
                    producer.send(message(single, job, nik));
                }
            }
        }
    }

    /**
     * A snapshot message: the citizen's NIK and nothing else of the record (it is read at delivery), the job, the
     * citizen's message group, and the job and NIK as duplicate-detection id and message id.
     */
    private TextMessage message(Session on, SyncJob job, String nik) throws JMSException {
        TextMessage message = on.createTextMessage("{\"type\":\"" + EventType.CITIZEN_SNAPSHOT.wireName()
                + "\",\"nik\":\"" + nik + "\"}");
        String id = messageId(job.id(), nik).toString();
        message.setStringProperty(BusHeaders.GROUP_ID, groups.of(nik));
        message.setStringProperty(BusHeaders.DUPLICATE_ID, id);
        message.setStringProperty(BusHeaders.EVENT_ID, id);
        message.setStringProperty(BusHeaders.EVENT_TYPE, EventType.CITIZEN_SNAPSHOT.wireName());
        message.setStringProperty(BusHeaders.SYNC_ID, job.id().toString());
        return message;
    }

    /** The id of a job's message for one citizen: the same whenever the page is sent again. */
    static UUID messageId(UUID syncId, String nik) {
        return UUID.nameUUIDFromBytes(("sync:" + syncId + ":" + nik).getBytes(StandardCharsets.UTF_8));
    }

    /** Carries a broker failure out of the database transaction, which it rolls back. */
    private static final class BrokerSendFailed extends RuntimeException {
        BrokerSendFailed(JMSException cause) {
            super(cause);
        }
    }

    private void ensureSession() throws JMSException {
        if (session != null) {
            return;
        }
        connection = connectionFactory.createConnection();
        session = connection.createSession(true, Session.SESSION_TRANSACTED);
        connection.start();
    }

    @Override
    protected void closeQuietly() {
        BusConnections.closeQuietly(connection, log, "the sync runner's");
        connection = null;
        session = null;
    }
}
