package id.jembatan.operations;

import id.jembatan.agency.AgencySuspensions;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.bus.BrokerManagement;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.ingest.IngestSettings;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Map;

/**
 * What an operator does to one agency's delivery, for the JMX MBeans and the HTTP operations alike: read its
 * backlog and dead letters, pause and resume its delivery (events keep queueing; nothing is lost), and replay or
 * purge its dead-letter queue. The queues are read and changed by the broker itself, through its management
 * ({@link BrokerManagement}), embedded or external alike. Each change is an entry in the audit chain naming the
 * operator and the reason ({@link OperatorAction}).
 */
@Service
public class AgencyOperations {

    private static final Logger log = LoggerFactory.getLogger(AgencyOperations.class);

    private final Subscriptions subscriptions;
    private final DeliverySwitch deliveries;
    private final BrokerManagement broker;
    private final IngestSettings ingest;
    private final AuditTrail audit;
    private final AgencySuspensions suspensions;

    public AgencyOperations(Subscriptions subscriptions, DeliverySwitch deliveries, BrokerManagement broker,
                            IngestSettings ingest, AuditTrail audit, AgencySuspensions suspensions) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.broker = broker;
        this.ingest = ingest;
        this.audit = audit;
        this.suspensions = suspensions;
    }

    /** Agencies events are delivered to. */
    public List<String> agencies() {
        return subscriptions.all().stream().map(Subscription::agencyId).toList();
    }

    /** Events waiting in the agency's queue, including those being delivered right now. */
    public long backlog(String agency) {
        return broker.messageCount(subscriptions.require(agency).queueName());
    }

    public long deadLetters(String agency) {
        return broker.messageCount(subscriptions.require(agency).deadLetterQueue());
    }

    public boolean paused(String agency) {
        return deliveries.paused(agency);
    }

    /** Stops consuming the agency's queue; events keep arriving in it. */
    public void pause(String agency, OperatorAction action) throws Exception {
        subscriptions.require(agency);
        deliveries.pause(agency);
        record(agency, AuditAction.DELIVERY_PAUSED, "DONE", action);
        log.info("Delivery to {} paused by {}", agency, action.operator());
    }

    /**
     * Consumes the agency's queue again.
     *
     * @throws JembatanException {@code AGENCY_SUSPENDED} while the agency is suspended: reinstating it resumes
     */
    public void resume(String agency, OperatorAction action) throws Exception {
        subscriptions.require(agency);
        if (suspensions.suspended(agency)) {
            throw new JembatanException(ErrorCode.AGENCY_SUSPENDED, "delivery to " + agency
                    + " is held while it is suspended; reinstate it to resume");
        }
        deliveries.resume(agency);
        record(agency, AuditAction.DELIVERY_RESUMED, "DONE", action);
        log.info("Delivery to {} resumed by {}", agency, action.operator());
    }

    /** Holds delivery to a suspended agency (its suspension is the audit entry). */
    void holdDelivery(String agency) throws Exception {
        deliveries.pause(agency);
    }

    /** Releases the delivery held for a suspension (its reinstatement is the audit entry). */
    void releaseDelivery(String agency) throws Exception {
        deliveries.resume(agency);
    }

    /**
     * Moves every dead letter of the agency back into its own queue (not to the other agencies' queues), where it is
     * delivered after what is already waiting, with its event id and the citizen's message group.
     *
     * @return how many were moved
     */
    public int replayDeadLetters(String agency, OperatorAction action) {
        Subscription s = subscriptions.require(agency);
        int moved = broker.moveMessages(s.deadLetterQueue(), s.queueName());
        record(agency, AuditAction.DEAD_LETTERS_REPLAYED, Integer.toString(moved), action);
        log.info("Replayed {} dead letters of {} for {}", moved, agency, action.operator());
        return moved;
    }

    /** Deletes every dead letter of the agency; returns how many. */
    public int purgeDeadLetters(String agency, OperatorAction action) {
        int removed = broker.removeMessages(subscriptions.require(agency).deadLetterQueue());
        record(agency, AuditAction.DEAD_LETTERS_PURGED, Integer.toString(removed), action);
        log.info("Purged {} dead letters of {} for {}", removed, agency, action.operator());
        return removed;
    }

    /**
     * The operator's action as an audit entry, after it was done (an action the broker failed is not recorded; one
     * whose entry cannot be written fails the call, so the operator knows it is not on record).
     */
    private void record(String agency, AuditAction what, String outcome, OperatorAction action) {
        audit.append(AuditRecord.operatorAction(agency, what, action.channel(), outcome, action.operator(),
                action.reason()));
    }

    /** What is waiting in the agency's dead-letter queue, oldest first, without removing it. */
    public List<DeadLetter> browseDeadLetters(String agency, int limit) {
        return broker.browse(subscriptions.require(agency).deadLetterQueue(), limit).stream()
                .map(AgencyOperations::deadLetter).toList();
    }

    /** One dead letter as an operator sees it (no personal data: the body stays in the broker). */
    public record DeadLetter(String eventId, String eventType, String errorCode, String reason, long timestamp) {
    }

    private static DeadLetter deadLetter(Map<String, Object> message) {
        Object timestamp = message.get("timestamp");
        return new DeadLetter(text(message, BusHeaders.EVENT_ID), text(message, BusHeaders.EVENT_TYPE),
                text(message, BusHeaders.ERROR_CODE), text(message, BusHeaders.ERROR_REASON),
                timestamp instanceof Number n ? n.longValue() : 0);
    }

    private static String text(Map<String, Object> message, String property) {
        Object value = message.get(property);
        return value == null ? null : value.toString();
    }

    /** Messages waiting in the owner agency's inbound queue ({@code civilregistry.events.in}). */
    public long inboundBacklog() {
        return broker.messageCount(ingest.queue());
    }

    /** Refused inbound messages in the owner agency's dead-letter queue ({@code dlq.civil-registry}). */
    public long inboundDeadLetters() {
        return broker.messageCount(ingest.deadLetterQueue());
    }
}
