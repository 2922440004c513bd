package id.jembatan.audit;

/** What an audit entry records. */
public enum AuditAction {
    /** The owner's event was applied to the master index. */
    EVENT_ACCEPTED,
    /** An agency received an event (the fields it was given). */
    EVENT_DELIVERED,
    /** An agency looked a citizen up (REST or FHIR). */
    LOOKUP,
    /** An agency asked whether identity data match. */
    VERIFICATION,
    /** A non-owner reported a fact to the owner. */
    NOTIFICATION,
    /** An agency exported a citizen in bulk (FHIR {@code $export}: the fields it was given). */
    BULK_EXPORT,
    /** An agency asked an owner service about a citizen (the taxpayer status, through the bus). */
    SERVICE_CALL
}
