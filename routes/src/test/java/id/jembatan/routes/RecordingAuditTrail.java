package id.jembatan.routes;

import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The audit trail of the route tests: keeps what was appended, in memory. */
final class RecordingAuditTrail implements AuditTrail {

    private final List<AuditRecord> records = new CopyOnWriteArrayList<>();
    private final List<List<AuditRecord>> groups = new CopyOnWriteArrayList<>();

    @Override
    public void append(AuditRecord record) {
        records.add(record);
    }

    /** Appended together: kept as one group. */
    @Override
    public void appendAll(List<AuditRecord> group) {
        groups.add(List.copyOf(group));
        records.addAll(group);
    }

    /** The groups appended together, oldest first. */
    List<List<AuditRecord>> groups() {
        return List.copyOf(groups);
    }

    List<AuditRecord> about(String reference) {
        return records.stream().filter(r -> reference.equals(r.reference())).toList();
    }
}
