package id.jembatan.audit;

import java.util.Collection;
import java.util.List;

/**
 * One thing to append to the audit chain: who did what to which citizen's data, which fields, for what purpose,
 * over which channel, with what outcome. {@code reference} ties it to an event or request id.
 */
public record AuditRecord(String agency, String nik, AuditAction action, String purpose, Collection<String> fields,
                          String channel, String outcome, String reference) {

    public AuditRecord {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }
}
