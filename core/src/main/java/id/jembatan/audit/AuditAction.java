package id.jembatan.audit;

import java.util.EnumSet;
import java.util.Set;

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
    SERVICE_CALL,
    /** The citizen portal filed a citizen's complaint (or an agency that may not was refused). */
    COMPLAINT_FILED,
    /** An agency was given a complaint (its fields; the NIK where it receives it). */
    COMPLAINT_DELIVERED,
    /** The agency a complaint is routed to read it. */
    COMPLAINT_READ,
    /** The responsible agency changed a complaint's status (or was refused: the outcome says why). */
    COMPLAINT_STATUS_CHANGED,
    /** The bus escalated a complaint not acknowledged in time to the supervising agency. */
    COMPLAINT_ESCALATED,
    // Operators' actions on an agency: each entry names the operator and the reason given.
    /** An operator suspended an agency: its keys, tokens and certificates refused, its deliveries held. */
    AGENCY_SUSPENDED,
    /** An operator reinstated a suspended agency. */
    AGENCY_REINSTATED,
    /** An operator paused delivery to an agency. */
    DELIVERY_PAUSED,
    /** An operator resumed delivery to an agency. */
    DELIVERY_RESUMED,
    /** An operator moved an agency's dead letters back into its queue (outcome: how many). */
    DEAD_LETTERS_REPLAYED,
    /** An operator deleted an agency's dead letters (outcome: how many). */
    DEAD_LETTERS_PURGED,
    /**
     * A sync job (an initial load or resync) was started for an agency: by an operator, or by the agency's
     * {@code sync-on-start} (operator {@code configuration}); reference: the job's id.
     */
    SYNC_STARTED,
    /** An operator cancelled a running sync job (reference: the job's id). */
    SYNC_CANCELLED;

    private static final Set<AuditAction> OPERATORS = EnumSet.range(AGENCY_SUSPENDED, SYNC_CANCELLED);

    /** Whether an operator did this (the entry names the operator and the reason), rather than an agency. */
    public boolean byOperator() {
        return OPERATORS.contains(this);
    }
}
