package id.jembatan.complaint;

import id.jembatan.schema.model.ComplaintStatus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the complaint service answers: the v1 contract's {@code ComplaintState}, {@code ComplaintView} and lists. */
public final class ComplaintViews {

    private ComplaintViews() {
    }

    /** A complaint's tracking number, status and responsible agency: the answer to filing and to a status change. */
    public record State(String trackingNumber, ComplaintStatus status, String routedTo) {
    }

    /** One status of a complaint's history. */
    public record StatusEntry(ComplaintStatus status, Instant at, String agency, String changedBy, String resolution,
                              String reason, String note) {
    }

    /** A whole complaint with its history, newest first; {@code nik} is null for an agency that does not get it. */
    public record Complaint(String trackingNumber, UUID complaintId, String nik, String category, String regionCode,
                            String subject, String text, Instant submittedAt, ComplaintStatus status, String routedTo,
                            Instant acknowledgeBy, List<StatusEntry> history) {
    }

    /** One complaint in a citizen's list. */
    public record Summary(String trackingNumber, String category, String subject, ComplaintStatus status,
                          String routedTo, Instant submittedAt, Instant updatedAt) {
    }

    /** One page of a citizen's complaints, newest first. */
    public record Page(String nik, int offset, int limit, long total, List<Summary> items) {
    }
}
