package id.jembatan.complaint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.ingest.Channel;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.Complaint;
import id.jembatan.schema.model.ComplaintStatus;
import id.jembatan.schema.model.ComplaintStatusChange;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.validation.RequestValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Citizens' complaints (DESIGN flow 8): filed by the citizen portal, routed by category and region to the responsible
 * agency ({@link ComplaintRouting}), delivered to it reliably, changed in status by that agency only, escalated to the
 * supervising agency when not acknowledged within the category's service level, read by the portal and the
 * responsible agency.
 *
 * <p>Reliability is the events' outbox pattern: a complaint, its first status and its delivery to the agency
 * ({@code complaint_outbox}) commit in one database transaction before the portal gets 202; {@link #publishPending}
 * then puts deliveries on the broker queue ({@code jembatan.complaints.queue}) with the delivery id as Artemis
 * duplicate-detection id and deletes them, so a delivery sent again after a crash between the two reaches the agency
 * once. Every filing, status change (made or refused), escalation, delivery and agency read is in the audit chain; the
 * deliveries and agencies' reads are in the citizen's access log. Only the agencies in
 * {@code jembatan.complaints.receive-nik} receive or read the complainant's NIK.
 */
@Service
public class ComplaintService {

    /** The purpose of a complaint's audit entries. */
    public static final String PURPOSE = "COMPLAINT_HANDLING";
    /** Who made a change the bus made itself (escalation). */
    public static final String BUS = "bus";
    /** The kinds of delivery an agency receives ({@code X-Jembatan-Event-Type}). */
    public static final String SUBMITTED = "ComplaintSubmitted";
    public static final String FORWARDED = "ComplaintForwarded";
    public static final String ESCALATED = "ComplaintEscalated";
    /** The fields of a complaint an agency is given, besides the NIK where it receives it. */
    public static final List<String> FIELDS = List.of("category", "regionCode", "subject", "text");

    private static final Logger log = LoggerFactory.getLogger(ComplaintService.class);
    private static final String TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int OVERDUE_BATCH = 100;

    private final RequestValidator validator;
    private final ComplaintStore store;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final ServiceLevelClock clock;
    private final ComplaintSettings settings;
    private final ComplaintRouting routing;
    private final ComplaintMetrics metrics;
    private final SecureRandom random = new SecureRandom();

    public ComplaintService(RequestValidator validator, ComplaintStore store, AuditTrail audit,
                            TransactionTemplate transaction, Clock clock,
                            ObjectProvider<ServiceLevelClock> serviceLevelClock, ComplaintSettings settings,
                            ComplaintMetrics metrics) {
        this.validator = validator;
        this.store = store;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = serviceLevelClock.getIfAvailable(() -> clock::instant);
        this.settings = settings;
        this.routing = new ComplaintRouting(settings);
        this.metrics = metrics;
    }

    /** The result of filing: the complaint's state, and whether it had been filed before with the same body. */
    public record Filed(ComplaintViews.State state, boolean repeated) {
    }

    /**
     * Files a complaint the citizen portal sends ({@code agencyId}): validated, routed, stored with its delivery.
     *
     * @throws JembatanException 403 {@code POLICY_DENIED} for an agency that may not file; 400 for an invalid body or
     *                           a category the bus does not route; 409 {@code COMPLAINT_ID_CONFLICT} for a complaint
     *                           id filed before with another body
     */
    public Filed file(String agencyId, byte[] body) {
        requireEnabled();
        if (!settings.filers().contains(agencyId)) {
            audit.append(new AuditRecord(agencyId, null, AuditAction.COMPLAINT_FILED, PURPOSE, List.of(),
                    Channel.HTTP.name(), "DENIED", null));
            throw new JembatanException(ErrorCode.POLICY_DENIED, "agency '" + agencyId + "' may not file complaints"
                    + " (jembatan.complaints.filers)");
        }
        Complaint complaint = validator.complaint(CanonicalJson.readBody(body));
        if (!settings.categories().containsKey(complaint.category())) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.COMPLAINT_CATEGORY_UNKNOWN, "/category",
                    "category " + complaint.category() + " is not one of " + settings.categories().keySet())));
        }
        String digest = CanonicalJson.digest(CanonicalJson.mapper().valueToTree(complaint));
        try {
            return fileOnce(agencyId, complaint, digest);
        } catch (DuplicateKeyException filedAtTheSameMoment) {
            return fileOnce(agencyId, complaint, digest);
        }
    }

    private Filed fileOnce(String agencyId, Complaint complaint, String digest) {
        Filed filed = transaction.execute(status -> {
            var existing = store.byComplaintId(complaint.complaintId());
            if (existing.isPresent()) {
                if (!existing.get().bodySha256().equals(digest)) {
                    throw new JembatanException(ErrorCode.COMPLAINT_ID_CONFLICT, "complaintId "
                            + complaint.complaintId() + " was filed before with another body");
                }
                ComplaintStore.Row row = existing.get();
                return new Filed(new ComplaintViews.State(row.trackingNumber(), row.status(), row.routedTo()), true);
            }
            Instant now = clock.now();
            String agency = routing.agencyFor(complaint.category(), complaint.regionCode());
            Instant acknowledgeBy = now.plus(settings.categories().get(complaint.category()).acknowledgeWithin());
            ComplaintStore.Row row = new ComplaintStore.Row(trackingNumber(), complaint.complaintId(), digest,
                    complaint.nik(), complaint.category(), complaint.regionCode(), complaint.subject(),
                    complaint.text(), complaint.submittedAt().toInstant(), ComplaintStatus.SUBMITTED, agency,
                    acknowledgeBy, now);
            store.insert(row, now);
            store.addStatus(row.trackingNumber(), new ComplaintViews.StatusEntry(ComplaintStatus.SUBMITTED, now,
                    agency, agencyId, null, null, null));
            deliver(row, agency, SUBMITTED, now);
            audit.append(new AuditRecord(agencyId, complaint.nik(), AuditAction.COMPLAINT_FILED, PURPOSE, FIELDS,
                    Channel.HTTP.name(), "ROUTED", row.trackingNumber()));
            return new Filed(new ComplaintViews.State(row.trackingNumber(), ComplaintStatus.SUBMITTED, agency), false);
        });
        if (!filed.repeated()) {
            metrics.refresh();
            log.info("Complaint {} of {} ({}) routed to {}", filed.state().trackingNumber(),
                    Nik.mask(complaint.nik()), complaint.category(), filed.state().routedTo());
        }
        return filed;
    }

    /**
     * Records a status change by {@code agencyId}, which must be the agency the complaint is routed to.
     *
     * @throws JembatanException 404 {@code COMPLAINT_NOT_FOUND}; 403 {@code COMPLAINT_NOT_ROUTED_TO_AGENCY}; 409
     *                           {@code COMPLAINT_TRANSITION_INVALID}; 400 for an invalid body or
     *                           {@code COMPLAINT_FORWARD_INVALID}
     */
    public ComplaintViews.State changeStatus(String agencyId, String trackingNumber, byte[] body) {
        requireEnabled();
        ComplaintStatusChange change = validator.complaintStatusChange(CanonicalJson.readBody(body));
        // A refusal is audited in a transaction of its own: the change's transaction rolls back.
        List<AuditRecord> refusal = new ArrayList<>(1);
        try {
            ComplaintViews.State state = transaction.execute(status -> {
                ComplaintStore.Row row = store.byTrackingNumber(trackingNumber, true)
                        .orElseThrow(() -> notFound(trackingNumber));
                JembatanException refused = refusal(agencyId, row, change);
                if (refused != null) {
                    refusal.add(changeEntry(agencyId, row, refused.code().name()));
                    throw refused;
                }
                Instant now = clock.now();
                String next = change.status() == ComplaintStatus.FORWARDED ? change.forwardTo() : row.routedTo();
                Instant acknowledgeBy = change.status() == ComplaintStatus.FORWARDED
                        ? now.plus(settings.categories().get(row.category()).acknowledgeWithin()) : null;
                store.update(trackingNumber, change.status(), next, acknowledgeBy, now);
                store.addStatus(trackingNumber, new ComplaintViews.StatusEntry(change.status(), now, next, agencyId,
                        change.resolution(), change.reason(), change.note()));
                if (change.status() == ComplaintStatus.FORWARDED) {
                    deliver(row, next, FORWARDED, now);
                }
                audit.append(changeEntry(agencyId, row, change.status().name()));
                return new ComplaintViews.State(trackingNumber, change.status(), next);
            });
            metrics.refresh();
            log.info("Complaint {} set {} by {}", trackingNumber, state.status(), agencyId);
            return state;
        } catch (JembatanException e) {
            refusal.forEach(audit::append);
            throw e;
        }
    }

    /** Why {@code agencyId} may not make this change, or null. */
    private JembatanException refusal(String agencyId, ComplaintStore.Row row, ComplaintStatusChange change) {
        if (!row.routedTo().equals(agencyId)) {
            return new JembatanException(ErrorCode.COMPLAINT_NOT_ROUTED_TO_AGENCY, "complaint "
                    + row.trackingNumber() + " is not routed to agency '" + agencyId + "'");
        }
        if (!row.status().mayChangeTo(change.status())) {
            return new JembatanException(ErrorCode.COMPLAINT_TRANSITION_INVALID, "complaint " + row.trackingNumber()
                    + " is " + row.status() + " and cannot become " + change.status());
        }
        if (change.status() == ComplaintStatus.FORWARDED && (change.forwardTo().equals(agencyId)
                || !settings.receivers().containsKey(change.forwardTo()))) {
            return JembatanException.of(List.of(new FieldError(ErrorCode.COMPLAINT_FORWARD_INVALID, "/forwardTo",
                    "a complaint is forwarded to another agency that receives complaints "
                            + settings.receivers().keySet() + ", not to '" + change.forwardTo() + "'")));
        }
        return null;
    }

    private static AuditRecord changeEntry(String agencyId, ComplaintStore.Row row, String outcome) {
        return new AuditRecord(agencyId, row.nik(), AuditAction.COMPLAINT_STATUS_CHANGED, PURPOSE, List.of(),
                Channel.HTTP.name(), outcome, row.trackingNumber());
    }

    /**
     * The complaint with its history, for the citizen portal (not audited: the citizen's own view) or the agency it is
     * routed to (audited, in the citizen's access log; the NIK only if it receives it).
     *
     * @throws JembatanException 404 {@code COMPLAINT_NOT_FOUND} for any other agency too, so that tracking numbers
     *                           cannot be probed
     */
    public ComplaintViews.Complaint view(String agencyId, String trackingNumber, boolean citizensOwnView) {
        requireEnabled();
        ComplaintStore.Row row = store.byTrackingNumber(trackingNumber, false)
                .orElseThrow(() -> notFound(trackingNumber));
        if (!citizensOwnView && !row.routedTo().equals(agencyId)) {
            throw notFound(trackingNumber);
        }
        boolean withNik = citizensOwnView || settings.receiveNik().contains(agencyId);
        if (!citizensOwnView) {
            audit.append(new AuditRecord(agencyId, row.nik(), AuditAction.COMPLAINT_READ, PURPOSE, fields(withNik),
                    Channel.HTTP.name(), "OK", trackingNumber));
        }
        return new ComplaintViews.Complaint(row.trackingNumber(), row.complaintId(), withNik ? row.nik() : null,
                row.category(), row.regionCode(), row.subject(), row.text(), row.submittedAt(), row.status(),
                row.routedTo(), row.acknowledgeBy(), store.history(trackingNumber));
    }

    /** A citizen's complaints, newest first (for the citizen portal; not audited). */
    public ComplaintViews.Page ofCitizen(String nik, int offset, int limit) {
        requireEnabled();
        long total = store.countOf(nik);
        return new ComplaintViews.Page(nik, offset, limit, total,
                total <= offset ? List.of() : store.ofCitizen(nik, offset, limit));
    }

    /**
     * Escalates every complaint whose responsible agency did not acknowledge it within its service level: it becomes
     * {@code ESCALATED}, routed to the supervising agency, which receives it.
     *
     * @return how many were escalated
     */
    public int escalateOverdue() {
        int escalated = 0;
        int batch;
        do {
            Instant now = clock.now();
            List<ComplaintStore.Row> due = transaction.execute(status -> {
                List<ComplaintStore.Row> rows = store.overdue(now, OVERDUE_BATCH);
                String supervisor = settings.supervisingAgency();
                for (ComplaintStore.Row row : rows) {
                    store.update(row.trackingNumber(), ComplaintStatus.ESCALATED, supervisor, null, now);
                    store.addStatus(row.trackingNumber(), new ComplaintViews.StatusEntry(ComplaintStatus.ESCALATED,
                            now, supervisor, BUS, null, null, "not acknowledged by " + row.routedTo()
                            + " by " + row.acknowledgeBy()));
                    deliver(row, supervisor, ESCALATED, now);
                    audit.append(new AuditRecord(BUS, row.nik(), AuditAction.COMPLAINT_ESCALATED, PURPOSE,
                            List.of(), "BUS", "ESCALATED", row.trackingNumber()));
                }
                return rows;
            });
            batch = due.size();
            escalated += batch;
            due.forEach(row -> log.info("Complaint {} escalated to {}: {} did not acknowledge it by {}",
                    row.trackingNumber(), settings.supervisingAgency(), row.routedTo(), row.acknowledgeBy()));
        } while (batch == OVERDUE_BATCH);
        if (escalated > 0) {
            metrics.refresh();
        }
        return escalated;
    }

    /**
     * Puts the pending deliveries on the broker, oldest first, and deletes them from the outbox; a delivery the
     * broker already holds (sent before a crash) is dropped by its duplicate detection.
     *
     * @return how many were sent
     */
    public int publishPending(ComplaintQueue queue, int limit) {
        Integer sent = transaction.execute(status -> {
            List<ComplaintStore.Delivery> pending = store.pendingUnderLease(limit);
            for (ComplaintStore.Delivery d : pending) {
                Map<String, String> properties = new HashMap<>();
                properties.put(BusHeaders.DUPLICATE_ID, d.deliveryId().toString());
                properties.put(BusHeaders.EVENT_ID, d.deliveryId().toString());
                properties.put(BusHeaders.EVENT_TYPE, d.kind());
                properties.put(BusHeaders.COMPLAINT_TRACKING_NUMBER, d.trackingNumber());
                properties.put(BusHeaders.COMPLAINT_AGENCY, d.agency());
                queue.put(d.payload(), properties);
            }
            // A crash before this commit leaves the rows: sent again, dropped by the broker as duplicates.
            store.published(pending);
            return pending.size();
        });
        return sent == null ? 0 : sent;
    }

    /** Records that {@code agency} was given the complaint (audit: in the citizen's access log). */
    public void delivered(String trackingNumber, String agency, String channel) {
        store.byTrackingNumber(trackingNumber, false).ifPresent(row -> audit.append(new AuditRecord(agency,
                row.nik(), AuditAction.COMPLAINT_DELIVERED, PURPOSE, fields(settings.receiveNik().contains(agency)),
                channel, "DELIVERED", trackingNumber)));
    }

    /** The agencies that receive complaints. */
    public boolean receivesComplaints(String agency) {
        return settings.receivers().containsKey(agency);
    }

    /** Complaints switched off ({@code jembatan.complaints.enabled=false}): the endpoints do not exist. */
    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new JembatanException(ErrorCode.RESOURCE_NOT_FOUND, "this bus does not take complaints");
        }
    }

    /** Puts a delivery of the complaint to {@code agency} in the outbox, in the caller's transaction. */
    private void deliver(ComplaintStore.Row row, String agency, String kind, Instant now) {
        UUID deliveryId = UUID.randomUUID();
        ObjectNode payload = CanonicalJson.mapper().createObjectNode();
        payload.put("type", kind);
        payload.put("deliveryId", deliveryId.toString());
        payload.put("trackingNumber", row.trackingNumber());
        payload.put("category", row.category());
        payload.put("regionCode", row.regionCode());
        payload.put("subject", row.subject());
        payload.put("text", row.text());
        payload.put("submittedAt", row.submittedAt().toString());
        if (settings.receiveNik().contains(agency)) {
            payload.put("nik", row.nik());
        }
        try {
            store.queue(deliveryId, row.trackingNumber(), agency, kind,
                    CanonicalJson.mapper().writeValueAsString(payload), now);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a complaint delivery", e);
        }
    }

    private static List<String> fields(boolean withNik) {
        List<String> fields = new ArrayList<>(FIELDS);
        if (withNik) {
            fields.add("nik");
        }
        return fields;
    }

    private static JembatanException notFound(String trackingNumber) {
        return new JembatanException(ErrorCode.COMPLAINT_NOT_FOUND, "no complaint " + printable(trackingNumber)
                + " that this agency may see");
    }

    /** A tracking number as the caller wrote it, if it has the form of one; else not quoted. */
    private static String printable(String trackingNumber) {
        return trackingNumber != null && trackingNumber.matches("ADU-[0-9A-Z]{10}") ? trackingNumber
                : "with this tracking number";
    }

    /** {@code ADU-} and 10 random characters of Crockford's base 32: about 50 bits, not guessable. */
    private String trackingNumber() {
        StringBuilder number = new StringBuilder("ADU-");
        for (int i = 0; i < 10; i++) {
            number.append(TRACKING_ALPHABET.charAt(random.nextInt(TRACKING_ALPHABET.length())));
        }
        return number.toString();
    }
}
