package id.jembatan.bus;

/** Message properties the bus sets on what it publishes and dead-letters; agencies may filter on them. */
public final class BusHeaders {

    /** The event id: the idempotency key every receiver can drop repeats by. */
    public static final String EVENT_ID = "JembatanEventId";
    /** The event type's wire name, e.g. {@code BirthRegistered}; agency queues filter on it. */
    public static final String EVENT_TYPE = "JembatanEventType";
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
     * Artemis message groups: one citizen's events are consumed in order. The bus sets it to the citizen's
     * {@link MessageGroups} id, never to the NIK, which the broker would log.
     */
    public static final String GROUP_ID = "JMSXGroupID";
    /** Artemis duplicate detection: the broker drops a second message with the same id. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private BusHeaders() {
    }
}
