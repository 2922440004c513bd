package id.jembatan.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.bus.BusHeaders;
import id.jembatan.index.CitizenRecord;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.ingest.Channel;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.DeathReported;
import id.jembatan.schema.model.EventType;
import id.jembatan.schema.model.OwnerNotification;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.validation.RequestValidator;
import id.jembatan.settings.JembatanProperties;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Notifications from a non-owner to the owner (DESIGN flow 4): a hospital's {@code DeathReported} is validated,
 * checked against the master index (the citizen is registered and not yet deceased) and sent, persistent, to the
 * owner's inbox queue ({@code jembatan.notifications.queue}) with the reporter as {@code reportedBy}. It changes
 * nothing in the master index: only the owner's own event does. A notification sent again with the same id is
 * dropped by the broker's duplicate detection, so the owner receives it once.
 */
@Service
public class NotificationRouting {

    /** The purpose recorded in the audit log for every routed notification. */
    public static final String PURPOSE = "OWNER_NOTIFICATION";
    /** The outcome recorded in the audit log, and the status answered: the owner's inbox holds it. */
    public static final String ROUTED = "ROUTED";
    /** The body property naming the reporting agency, added to the notification as the reporter sent it. */
    public static final String REPORTED_BY = "reportedBy";

    private static final Logger log = LoggerFactory.getLogger(NotificationRouting.class);

    private final RequestValidator validator;
    private final AgencyDirectory agencies;
    private final MasterCitizenIndex index;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final JmsTemplate jms;
    private final String queue;

    /**
     * @param connectionFactory the application's pooled connection factory (the {@code @Primary} one): each send is
     *                          a short-lived producer on a cached session
     */
    public NotificationRouting(RequestValidator validator, AgencyDirectory agencies, MasterCitizenIndex index,
                               AuditTrail audit, TransactionTemplate transaction, ConnectionFactory connectionFactory,
                               JembatanProperties properties) {
        this.validator = validator;
        this.agencies = agencies;
        this.index = index;
        this.audit = audit;
        this.transaction = transaction;
        this.queue = properties.getNotifications().getQueue();
        JmsTemplate template = new JmsTemplate(connectionFactory);
        template.setPubSubDomain(false);
        // Not in a JMS transaction, so each send returns only once the broker has stored the message (Artemis
        // blocks on durable sends): the 202 the reporter gets means the owner's inbox holds the notification.
        template.setSessionTransacted(false);
        template.setExplicitQosEnabled(true);
        template.setDeliveryMode(DeliveryMode.PERSISTENT);
        this.jms = template;
    }

    /**
     * Routes one notification body sent by {@code agencyId} to the owner.
     *
     * @return the notification as routed
     * @throws JembatanException 400 when the body is invalid, 403 {@code SENDER_IS_OWNER} when the sender owns the
     *                           confirming event, 409 {@code CITIZEN_UNKNOWN} or {@code CITIZEN_DECEASED}, 503 when
     *                           the broker cannot take it (send it again: a repeat is harmless)
     */
    public OwnerNotification route(String agencyId, byte[] body) {
        OwnerNotification notification = validator.notification(CanonicalJson.readBody(body));
        EventType confirming = notification.notificationType().confirmedBy();
        if (agencies.owns(agencyId, confirming)) {
            throw new JembatanException(ErrorCode.SENDER_IS_OWNER, "agency '" + agencyId + "' owns "
                    + confirming.wireName() + ": it records the fact by sending that event to POST /api/v1/events,"
                    + " not by notifying itself");
        }
        String nik = notification.subjectNik();
        CitizenRecord citizen = index.find(nik).orElseThrow(() -> JembatanException.of(List.of(
                new FieldError(ErrorCode.CITIZEN_UNKNOWN, "/nik", "no citizen with this NIK is registered"))));
        if (citizen.deceased()) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.CITIZEN_DECEASED, "/nik",
                    "the citizen is already registered as deceased")));
        }
        String payload = payload(notification, agencyId);
        // The audit entry commits only if the broker took the message; if the commit fails after the send, the
        // reporter sees an error, sends again, and the broker drops the repeat while the entry is written.
        transaction.executeWithoutResult(status -> {
            audit.append(new AuditRecord(agencyId, nik, AuditAction.NOTIFICATION, PURPOSE, fields(notification),
                    Channel.HTTP.name(), ROUTED, notification.notificationId().toString()));
            send(notification, agencyId, payload);
        });
        log.info("Routed {} {} for {} from {} to {}", notification.notificationType().wireName(),
                notification.notificationId(), Nik.mask(nik), agencyId, queue);
        return notification;
    }

    private void send(OwnerNotification notification, String agencyId, String payload) {
        String id = notification.notificationId().toString();
        try {
            jms.send(queue, session -> {
                TextMessage message = session.createTextMessage(payload);
                message.setStringProperty(BusHeaders.NOTIFICATION_ID, id);
                message.setStringProperty(BusHeaders.NOTIFICATION_TYPE, notification.notificationType().wireName());
                message.setStringProperty(BusHeaders.REPORTED_BY, agencyId);
                message.setStringProperty(BusHeaders.GROUP_ID, notification.subjectNik());
                message.setStringProperty(BusHeaders.DUPLICATE_ID, id);
                return message;
            });
        } catch (JmsException e) {
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
        }
        return fields;
    }
}
