package id.jembatan.delivery;

import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.audit.EventFields;
import id.jembatan.schema.model.CitizenEvent;
import org.springframework.stereotype.Service;

import java.util.List;

/**
 * What a delivery leaves in the audit chain: one {@code EVENT_DELIVERED} entry per event an agency was given, with
 * the fields it was given (after its field filter), the connector type that carried them as channel, and the event
 * id as reference. Called once the agency has the events of a batch and before the broker transaction commits: an
 * event delivered twice (a batch taken again after a failed commit or a crash) is audited twice, and a batch whose
 * entries could not be written is not acknowledged, so it is taken again like any failed delivery.
 */
@Service
public class DeliveryAudit {

    /** Why the agency got the data: its subscription to the civil registry's events. */
    public static final String PURPOSE = "EVENT_DELIVERY";
    public static final String OUTCOME = "DELIVERED";

    private final AuditTrail audit;
    private final Subscriptions subscriptions;

    public DeliveryAudit(AuditTrail audit, Subscriptions subscriptions) {
        this.audit = audit;
        this.subscriptions = subscriptions;
    }

    /**
     * The events of one delivered batch, one entry per event, appended together in one database commit (the access
     * log reads the same as for deliveries one by one).
     */
    public void recordDeliveries(String agencyId, List<CitizenEvent> given) {
        audit.appendAll(entries(agencyId, given));
    }

    /** The entries {@link #recordDeliveries} appends, for a caller that appends them with others. */
    public List<AuditRecord> entries(String agencyId, List<CitizenEvent> given) {
        if (given.isEmpty()) {
            return List.of();
        }
        String channel = subscriptions.require(agencyId).connector();
        return given.stream().map(event -> entry(agencyId, channel, event)).toList();
    }

    private static AuditRecord entry(String agencyId, String channel, CitizenEvent event) {
        return new AuditRecord(agencyId, event.subjectNik(), AuditAction.EVENT_DELIVERED, PURPOSE,
                EventFields.of(event), channel, OUTCOME, event.eventId().toString());
    }
}
