package id.jembatan.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.bus.MessageGroups;
import id.jembatan.index.CitizenRecord;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.ingest.Channel;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.quota.QuotaExceededException;
import id.jembatan.quota.QuotaOperation;
import id.jembatan.quota.Quotas;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.AddressReported;
import id.jembatan.schema.model.DeathReported;
import id.jembatan.schema.model.EventType;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.schema.model.OwnerNotification;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.validation.RequestValidator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Notifications from a non-owner to the owner (DESIGN flow 4). A hospital's {@code DeathReported} is taken from an
 * agency the access policy allows to report that type, within the agency's notification quota ({@link Quotas},
 * purpose {@link #PURPOSE}), validated, and then routed
 * by what the master index holds: a registered, living citizen's goes, persistent, to the owner's inbox queue
 * ({@code jembatan.notifications.queue}) with the reporter as {@code reportedBy}; one about a NIK nobody registered
 * or a citizen already registered as deceased goes nowhere. The reporter is answered the same in every case
 * ({@link #ACCEPTED}), so that notifications cannot be used to learn whether a NIK exists or whether its holder is
 * alive; the routing outcome goes to the audit chain, the log and the {@code jembatan.notifications} counter, for the
 * operators. Every notification, refused or accepted, is audited with its outcome. It changes nothing in the master
 * index: only the owner's own event does. A notification sent again with the same id is dropped by the broker's
 * duplicate detection, so the owner receives it once.
 */
@Service
public class NotificationRouting {

    /** The purpose recorded in the audit log for every notification. */
    public static final String PURPOSE = "OWNER_NOTIFICATION";
    /** The status answered for every notification the bus took, whatever became of it. */
    public static final String ACCEPTED = "ACCEPTED";
    /** Routing outcome (audit log, metrics): the owner's inbox holds it. */
    public static final String ROUTED = "ROUTED";
    /** Routing outcome: no citizen with this NIK is registered; not routed. */
    public static final String CITIZEN_UNKNOWN = "CITIZEN_UNKNOWN";
    /** Routing outcome: the citizen is already registered as deceased; not routed. */
    public static final String CITIZEN_DECEASED = "CITIZEN_DECEASED";
    /** Outcome of a notification the access policy refused (the sender may not report that type). */
    public static final String DENIED = "DENIED";
    /** The body property naming the reporting agency, added to the notification as the reporter sent it. */
    public static final String REPORTED_BY = "reportedBy";

    private static final Logger log = LoggerFactory.getLogger(NotificationRouting.class);

    private final RequestValidator validator;
    private final AgencyDirectory agencies;
    private final AccessPolicy policy;
    private final Quotas quotas;
    private final MasterCitizenIndex index;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final MessageGroups groups;
    private final MeterRegistry metrics;
    private final OwnerInbox inbox;
    private final String queue;

    public NotificationRouting(RequestValidator validator, AgencyDirectory agencies, AccessPolicy policy,
                               Quotas quotas, MasterCitizenIndex index, AuditTrail audit,
                               TransactionTemplate transaction, MessageGroups groups, MeterRegistry metrics,
                               OwnerInbox inbox, NotificationSettings settings) {
        this.validator = validator;
        this.agencies = agencies;
        this.policy = policy;
        this.quotas = quotas;
        this.index = index;
        this.audit = audit;
        this.transaction = transaction;
        this.groups = groups;
        this.metrics = metrics;
        this.inbox = inbox;
        this.queue = settings.queue();
    }

    /**
     * Takes one notification body sent by {@code agencyId} and routes it to the owner if the citizen is registered
     * and alive.
     *
     * @return the notification as taken; its routing outcome is for the operators, not for the reporter
     * @throws QuotaExceededException when the agency's notification quota (second or day) is used up (every
     *                                request counts, also an invalid one)
     * @throws JembatanException    400 when the body is invalid; 403 {@code SENDER_IS_OWNER} when the sender owns
     *                              the confirming event, {@code POLICY_DENIED} when the access policy does not let it
     *                              report this type; 503 when the broker cannot take it (send it again: a repeat is
     *                              harmless)
     */
    public OwnerNotification route(String agencyId, byte[] body) {
        quotas.check(agencyId, PURPOSE, QuotaOperation.NOTIFICATION);
        OwnerNotification notification = validator.notification(CanonicalJson.readBody(body));
        NotificationType type = notification.notificationType();
        EventType confirming = type.confirmedBy();
        if (agencies.owns(agencyId, confirming)) {
            refused(agencyId, notification);
            throw new JembatanException(ErrorCode.SENDER_IS_OWNER, "agency '" + agencyId + "' owns "
                    + confirming.wireName() + ": it records the fact by sending that event to POST /api/v1/events,"
                    + " not by notifying itself");
        }
        if (!policy.mayNotify(agencyId, type)) {
            refused(agencyId, notification);
            throw new JembatanException(ErrorCode.POLICY_DENIED, "the access policy does not let agency '"
                    + agencyId + "' report " + type.wireName());
        }
        String nik = notification.subjectNik();
        Optional<CitizenRecord> citizen = index.find(nik);
        String outcome = citizen.isEmpty() ? CITIZEN_UNKNOWN
                : citizen.get().deceased() ? CITIZEN_DECEASED
                : ROUTED;
        if (outcome.equals(ROUTED)) {
            String payload = payload(notification, agencyId);
            // The audit entry commits only if the broker took the message; if the commit fails after the send, the
            // reporter sees an error, sends again, and the broker drops the repeat while the entry is written.
            transaction.executeWithoutResult(status -> {
                audit.append(entry(agencyId, notification, ROUTED, fields(notification)));
                send(notification, agencyId, payload);
            });
        } else {
            // Nothing is passed on: the entry records the report, with no fields given to anyone.
            audit.append(entry(agencyId, notification, outcome, List.of()));
        }
        count(agencyId, type, outcome);
        log.info("{} {} for {} from {}: {}", type.wireName(), notification.notificationId(), Nik.mask(nik), agencyId,
                outcome.equals(ROUTED) ? "routed to " + queue : "not routed, " + outcome);
        return notification;
    }

    /** Audits and counts a notification the sender may not send; nothing of it is passed on. */
    private void refused(String agencyId, OwnerNotification notification) {
        audit.append(entry(agencyId, notification, DENIED, List.of()));
        count(agencyId, notification.notificationType(), DENIED);
    }

    private static AuditRecord entry(String agencyId, OwnerNotification notification, String outcome,
                                     List<String> fields) {
        return new AuditRecord(agencyId, notification.subjectNik(), AuditAction.NOTIFICATION, PURPOSE, fields,
                Channel.HTTP.name(), outcome, notification.notificationId().toString());
    }

    /** {@code jembatan.notifications} by agency, type and outcome: what the reporters are not told. */
    private void count(String agencyId, NotificationType type, String outcome) {
        Counter.builder("jembatan.notifications")
                .description("Notifications to owners by reporting agency, type and outcome")
                .tag("agency", agencyId).tag("type", type.wireName()).tag("outcome", outcome)
                .register(metrics).increment();
    }

    private void send(OwnerNotification notification, String agencyId, String payload) {
        String id = notification.notificationId().toString();
        Map<String, String> properties = Map.of(
                BusHeaders.NOTIFICATION_ID, id,
                BusHeaders.NOTIFICATION_TYPE, notification.notificationType().wireName(),
                BusHeaders.REPORTED_BY, agencyId,
                BusHeaders.GROUP_ID, groups.of(notification.subjectNik()),
                BusHeaders.DUPLICATE_ID, id);
        try {
            // Returns once the broker has stored it: the 202 the reporter gets means the owner's inbox holds it.
            inbox.put(payload, properties);
        } catch (RuntimeException e) {
            throw new JembatanException(ErrorCode.SERVICE_UNAVAILABLE, "the owner's inbox could not take the"
                    + " notification; send it again with the same notificationId", List.of(), e);
        }
    }

    /** The canonical JSON of the notification with the reporting agency added. */
    private static String payload(OwnerNotification notification, String agencyId) {
        ObjectNode tree = CanonicalJson.mapper().valueToTree(notification);
        tree.put(REPORTED_BY, agencyId);
        try {
            return CanonicalJson.mapper().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a " + notification.notificationType().wireName(), e);
        }
    }

    /** The citizen data the notification carries, as recorded in the audit log. */
    private static List<String> fields(OwnerNotification notification) {
        List<String> fields = new ArrayList<>(List.of("nik"));
        if (notification instanceof DeathReported death) {
            fields.add("dateOfDeath");
            if (death.placeOfDeath() != null) {
                fields.add("placeOfDeath");
            }
        } else if (notification instanceof AddressReported) {
            fields.add("address");
        }
        return fields;
    }
}
