package id.jembatan.audit;

import java.util.Collection;
import java.util.List;

/**
 * One thing to append to the audit chain: who did what to which citizen's data, which fields, for what purpose,
 * over which channel, with what outcome. {@code reference} ties it to an event or request id. An operator's action
 * (suspending an agency, replaying its dead letters, ...) names the operator and the reason they gave; every other
 * entry has neither.
 */
public record AuditRecord(String agency, String nik, AuditAction action, String purpose, Collection<String> fields,
                          String channel, String outcome, String reference, String operator, String reason) {

    public AuditRecord {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** An agency's entry: no operator acted. */
    public AuditRecord(String agency, String nik, AuditAction action, String purpose, Collection<String> fields,
                       String channel, String outcome, String reference) {
        this(agency, nik, action, purpose, fields, channel, outcome, reference, null, null);
    }

    /**
     * An operator's action on an agency: no citizen, no purpose, no fields.
     *
     * @param agency   the agency acted on
     * @param channel  how the operator acted ({@code operations-http}, {@code jmx})
     * @param outcome  what came of it ({@code DONE}, or a count such as {@code 5})
     * @param operator who acted, as signed in
     * @param reason   why, as the operator wrote it (may be empty)
     */
    public static AuditRecord operatorAction(String agency, AuditAction action, String channel, String outcome,
                                             String operator, String reason) {
        return new AuditRecord(agency, null, action, null, List.of(), channel, outcome, null, operator,
                reason == null ? "" : reason);
    }
}
