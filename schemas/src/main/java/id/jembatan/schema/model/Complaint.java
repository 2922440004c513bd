package id.jembatan.schema.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A citizen's complaint as the citizen portal files it ({@code POST /api/v1/complaints},
 * {@code schemas/v1/complaints/complaint.schema.json}).
 *
 * @param complaintId the portal's id for it: the same id filed again is the same complaint
 * @param nik         the complainant
 * @param category    what it is about, one of the categories the bus routes ({@code jembatan.complaints.categories})
 * @param regionCode  where the problem is: a Kemendagri region code (province, regency, district or village)
 * @param subject     a one-line summary
 * @param text        the complaint itself, plain text (never interpreted as markup)
 * @param submittedAt when the citizen submitted it
 */
public record Complaint(UUID complaintId, String nik, String category, String regionCode, String subject, String text,
                        OffsetDateTime submittedAt) {
}
