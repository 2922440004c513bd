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
    DEAD_LETTERS_PURGED;

    /** Whether an operator did this (the entry names the operator and the reason), rather than an agency. */
    public boolean byOperator() {
        return ordinal() >= AGENCY_SUSPENDED.ordinal();
    }
}
