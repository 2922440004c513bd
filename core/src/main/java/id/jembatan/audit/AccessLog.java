package id.jembatan.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A citizen's view of the audit chain: the entries about their NIK in which an agency got or read their data
 * (deliveries, lookups, verifications, bulk exports, owner services asked about them, complaints delivered to or
 * read by an agency) or reported a fact about them to its owner (notifications the bus accepted),
 * newest first, each with its outcome. The civil registry's own acceptance of an event is not a read by someone else
 * and is left out, as are notifications the access policy refused (nothing about the citizen was passed on).
 */
@Repository
public class AccessLog {

    /** The actions in which an agency got or read a citizen's data. */
    public static final List<AuditAction> READS =
            List.of(AuditAction.EVENT_DELIVERED, AuditAction.LOOKUP, AuditAction.VERIFICATION,
                    AuditAction.BULK_EXPORT, AuditAction.SERVICE_CALL, AuditAction.COMPLAINT_DELIVERED,
                    AuditAction.COMPLAINT_READ);

    /** The outcome of a notification the access policy refused: not in the citizen's log. */
    public static final String NOTIFICATION_DENIED = "DENIED";

    private static final String ABOUT_NIK_READS = "WHERE nik = ? AND (action IN ("
            + String.join(", ", Collections.nCopies(READS.size(), "?")) + ")"
            + " OR (action = '" + AuditAction.NOTIFICATION.name() + "' AND outcome <> '" + NOTIFICATION_DENIED
            + "'))";

    private final JdbcClient jdbc;

    public AccessLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Entries {@code offset} to {@code offset + limit - 1}, counted from the newest. A NIK nobody read, registered
     * or not, has none: the answer does not tell whether the NIK exists.
     */
    @Transactional(readOnly = true)
    public AccessLogPage page(String nik, int offset, int limit) {
        List<Object> about = new ArrayList<>();
        about.add(nik);
        READS.forEach(action -> about.add(action.name()));
        long total = jdbc.sql("SELECT COUNT(*) FROM audit_entry " + ABOUT_NIK_READS)
                .params(about)
                .query(Long.class).single();
        // seq, not at, is the order: the order in which entries took their positions in the chain, also across bus
        // instances whose clocks differ.
        List<Object> page = new ArrayList<>(about);
        page.add(limit);
        page.add(offset);
        List<AccessLogEntry> items = total <= offset ? List.of() : jdbc.sql(
                        "SELECT at, agency, purpose, fields, channel, outcome FROM audit_entry " + ABOUT_NIK_READS
                                + " ORDER BY seq DESC LIMIT ? OFFSET ?")
                .params(page)
                .query((rs, row) -> new AccessLogEntry(rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getString("agency"), rs.getString("purpose"), fields(rs.getString("fields")),
                        rs.getString("channel"), rs.getString("outcome")))
                .list();
        return new AccessLogPage(nik, offset, limit, total, items);
    }

    /** The entry's fields as {@link AuditChain} stores them: sorted, comma-separated, empty for none. */
    private static List<String> fields(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split(","));
    }
}
