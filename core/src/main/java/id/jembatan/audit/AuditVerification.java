package id.jembatan.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of walking the audit chain: valid with its length and head hash, or broken at the first entry that
 * was changed, removed or inserted, with the reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(boolean valid, Long entries, String head, Long firstBrokenAt, String reason) {

    static AuditVerification valid(long entries, String head) {
        return new AuditVerification(true, entries, head, null, null);
    }

    static AuditVerification brokenAt(long position, String reason) {
        return new AuditVerification(false, null, null, position, "entry " + position + ": " + reason);
    }
}
