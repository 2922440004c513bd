package id.jembatan.audit;

import java.util.List;

/**
 * Where every accepted event, delivery, lookup and verification is recorded. An append joins the caller's
 * database transaction when there is one (an applied event and its audit entry commit together) and is safe under
 * concurrency, also across bus instances.
 */
public interface AuditTrail {

    void append(AuditRecord record);

    /**
     * Appends {@code records} in order, together: in the caller's transaction when there is one, otherwise in one
     * transaction of their own (one commit for a whole batch of deliveries). Returns once they are durable; on failure
     * none of them is in the trail.
     */
    default void appendAll(List<AuditRecord> records) {
        records.forEach(this::append);
    }
}
