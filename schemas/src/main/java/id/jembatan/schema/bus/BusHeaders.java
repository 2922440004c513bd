package id.jembatan.schema.bus;

/**
 * Message properties the bus sets on what it publishes, sends to agencies and dead-letters; agencies may filter on
 * them. Part of the contract: the routes, the connectors and the demo agencies name them from here alone.
 */
public final class BusHeaders {

    /** Every property the bus sets of its own starts with this; {@link #GROUP_ID} and {@link #DUPLICATE_ID} do not. */
    public static final String PREFIX = "Jembatan";

    /** The event id: the idempotency key every receiver can drop repeats by. */
    public static final String EVENT_ID = "JembatanEventId";
    /** The event type's wire name, e.g. {@code BirthRegistered}; agency queues filter on it. */
    public static final String EVENT_TYPE = "JembatanEventType";
    /** The media type of the payload a {@code jms} agency receives, e.g. {@code application/json}. */
    public static final String CONTENT_TYPE = "JembatanContentType";
    /** The notification id of a notification routed to the owner: the owner's idempotency key for it. */
    public static final String NOTIFICATION_ID = "JembatanNotificationId";
    /** The notification type's wire name, e.g. {@code DeathReported}. */
    public static final String NOTIFICATION_TYPE = "JembatanNotificationType";
    /** The agency id of the agency that reported a notification, e.g. {@code health}. */
    public static final String REPORTED_BY = "JembatanReportedBy";
    /** Stable error code of a dead-lettered message. */
    public static final String ERROR_CODE = "JembatanErrorCode";
    /** Human-readable reason a message was dead-lettered. */
    public static final String ERROR_REASON = "JembatanErrorReason";
    /** JSON array of {@code {code, pointer, message}} for a rejected event. */
    public static final String ERROR_DETAILS = "JembatanErrorDetails";
    /**
     * What the agency answered when it refused a delivery, NIKs masked: for a FHIR agency its OperationOutcome as
     * JSON. Set only on dead letters of refused deliveries whose agency said why.
     */
    public static final String AGENCY_RESPONSE = "JembatanAgencyResponse";
    /**
     * The version of the citizen's master record once the event was applied (a count of the events that changed
     * it): a delivery does not hand an agency an event older than a snapshot of the record it already received.
     */
    public static final String CITIZEN_VERSION = "JembatanCitizenVersion";
    /** The sync job a snapshot message belongs to (a UUID); set only on sync jobs' messages. */
    public static final String SYNC_ID = "JembatanSyncId";

    /**
     * Artemis message groups: one citizen's events are consumed in order. The bus sets it to the citizen's message
     * group (a keyed hash of the NIK, {@code MessageGroups}), never to the NIK, which the broker would log.
     */
    public static final String GROUP_ID = "JMSXGroupID";
    /** Artemis duplicate detection: the broker drops a second message with the same id. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** A complaint delivery's tracking number, e.g. {@code ADU-7K3M9QX2TB}. */
    public static final String COMPLAINT_TRACKING_NUMBER = "JembatanTrackingNumber";
    /** The agency a complaint delivery is for, e.g. {@code bansos}. */
    public static final String COMPLAINT_AGENCY = "JembatanComplaintAgency";

    private BusHeaders() {
    }
}
