package id.jembatan.complaint;

import id.jembatan.schema.model.ComplaintStatus;
import id.jembatan.tx.AsynchronousCommit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The complaint tables: complaints, their status histories and their outbox of deliveries (V20). Joins the caller's
 * transaction; SQL only, the rules are the service's.
 */
@Repository
public class ComplaintStore {

    /** A complaint's row, without its history. */
    public record Row(String trackingNumber, UUID complaintId, String bodySha256, String nik, String category,
                      String regionCode, String subject, String text, Instant submittedAt, ComplaintStatus status,
                      String routedTo, Instant acknowledgeBy, Instant updatedAt) {
    }

    /** A delivery waiting in the outbox. */
    public record Delivery(long id, UUID deliveryId, String trackingNumber, String agency, String kind,
                           String payload) {
    }

    private static final String COLUMNS = "tracking_number, complaint_id, body_sha256, nik, category, region_code,"
            + " subject, text, submitted_at, status, routed_to, acknowledge_by, updated_at";

    private final JdbcClient jdbc;

    public ComplaintStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Row row, Instant filedAt) {
        jdbc.sql("INSERT INTO complaint (" + COLUMNS + ", filed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(row.trackingNumber(), row.complaintId(), row.bodySha256(), row.nik(), row.category(),
                        row.regionCode(), row.subject(), row.text(), utc(row.submittedAt()), row.status().name(),
                        row.routedTo(), utc(row.acknowledgeBy()), utc(row.updatedAt()), utc(filedAt))
                .update();
    }

    public Optional<Row> byComplaintId(UUID complaintId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM complaint WHERE complaint_id = ?").param(complaintId)
                .query(ComplaintStore::row).optional();
    }

    /** The complaint, locked until the caller's transaction ends when {@code lock}. */
    public Optional<Row> byTrackingNumber(String trackingNumber, boolean lock) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM complaint WHERE tracking_number = ?" + (lock ? " FOR UPDATE" : ""))
                .param(trackingNumber).query(ComplaintStore::row).optional();
    }

    /** Complaints past their service level, locked (skipping those another instance holds), oldest first. */
    public List<Row> overdue(Instant now, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM complaint WHERE acknowledge_by < ? ORDER BY acknowledge_by"
                        + " LIMIT ? FOR UPDATE SKIP LOCKED")
                .params(utc(now), limit).query(ComplaintStore::row).list();
    }

    public void update(String trackingNumber, ComplaintStatus status, String routedTo, Instant acknowledgeBy,
                       Instant at) {
        jdbc.sql("UPDATE complaint SET status = ?, routed_to = ?, acknowledge_by = ?, updated_at = ?"
                        + " WHERE tracking_number = ?")
                .params(status.name(), routedTo, utc(acknowledgeBy), utc(at), trackingNumber).update();
    }

    public void addStatus(String trackingNumber, ComplaintViews.StatusEntry entry) {
        jdbc.sql("INSERT INTO complaint_status (tracking_number, status, at, agency, changed_by, resolution, reason,"
                        + " note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(trackingNumber, entry.status().name(), utc(entry.at()), entry.agency(), entry.changedBy(),
                        entry.resolution(), entry.reason(), entry.note())
                .update();
    }

    /** The history, newest first. */
    public List<ComplaintViews.StatusEntry> history(String trackingNumber) {
        return jdbc.sql("SELECT status, at, agency, changed_by, resolution, reason, note FROM complaint_status"
                        + " WHERE tracking_number = ? ORDER BY id DESC")
                .param(trackingNumber)
                .query((rs, n) -> new ComplaintViews.StatusEntry(ComplaintStatus.valueOf(rs.getString(1)),
                        rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)))
                .list();
    }

    public long countOf(String nik) {
        return jdbc.sql("SELECT COUNT(*) FROM complaint WHERE nik = ?").param(nik).query(Long.class).single();
    }

    /** A citizen's complaints, newest first. */
    public List<ComplaintViews.Summary> ofCitizen(String nik, int offset, int limit) {
        return jdbc.sql("SELECT tracking_number, category, subject, status, routed_to, submitted_at, updated_at"
                        + " FROM complaint WHERE nik = ? ORDER BY filed_at DESC, tracking_number LIMIT ? OFFSET ?")
                .params(nik, limit, offset)
                .query((rs, n) -> new ComplaintViews.Summary(rs.getString(1), rs.getString(2), rs.getString(3),
                        ComplaintStatus.valueOf(rs.getString(4)), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant(),
                        rs.getObject(7, OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Complaints by responsible agency and status. */
    public Map<String, Map<ComplaintStatus, Long>> counts() {
        Map<String, Map<ComplaintStatus, Long>> counts = new LinkedHashMap<>();
        jdbc.sql("SELECT routed_to, status, COUNT(*) FROM complaint GROUP BY routed_to, status ORDER BY routed_to")
                .query(rs -> {
                    counts.computeIfAbsent(rs.getString(1), a -> new LinkedHashMap<>())
                            .put(ComplaintStatus.valueOf(rs.getString(2)), rs.getLong(3));
                });
        return counts;
    }

    public void queue(UUID deliveryId, String trackingNumber, String agency, String kind, String payload,
                      Instant at) {
        jdbc.sql("INSERT INTO complaint_outbox (delivery_id, tracking_number, agency, kind, payload, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")
                .params(deliveryId, trackingNumber, agency, kind, payload, utc(at)).update();
    }

    /**
     * The oldest deliveries still to put on the broker, under the complaint relay's lease (row 2 of
     * {@code outbox_relay_lease}); empty when another bus instance holds it. An empty outbox is seen without taking
     * the lease: its row lock is a write (a transaction id and a WAL record), which made every poll of an idle bus,
     * twice a second, a commit that waited for the disk; a delivery queued just after the look is taken at the next
     * poll. The transaction commits without waiting for the disk: a delete of published rows that a crash of the
     * database forgets only sends them again, which the broker drops as duplicates.
     */
    public List<Delivery> pendingUnderLease(int limit) {
        if (!jdbc.sql("SELECT EXISTS (SELECT 1 FROM complaint_outbox)").query(Boolean.class).single()) {
            return List.of();
        }
        AsynchronousCommit.forThisTransaction(jdbc);
        if (jdbc.sql("SELECT id FROM outbox_relay_lease WHERE id = 2 FOR UPDATE SKIP LOCKED")
                .query(Integer.class).optional().isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id, delivery_id, tracking_number, agency, kind, payload FROM complaint_outbox"
                        + " ORDER BY id LIMIT ?")
                .param(limit)
                .query((rs, n) -> new Delivery(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
    }

    public void published(List<Delivery> deliveries) {
        if (!deliveries.isEmpty()) {
            String ids = String.join(",", deliveries.stream().map(d -> Long.toString(d.id())).toList());
            jdbc.sql("DELETE FROM complaint_outbox WHERE id IN (" + ids + ")").update();
        }
    }

    public long pendingCount() {
        return jdbc.sql("SELECT COUNT(*) FROM complaint_outbox").query(Long.class).single();
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        OffsetDateTime acknowledgeBy = rs.getObject(12, OffsetDateTime.class);
        return new Row(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getObject(9, OffsetDateTime.class).toInstant(), ComplaintStatus.valueOf(rs.getString(10)),
                rs.getString(11), acknowledgeBy == null ? null : acknowledgeBy.toInstant(),
                rs.getObject(13, OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
