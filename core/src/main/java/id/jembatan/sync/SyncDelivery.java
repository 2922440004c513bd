package id.jembatan.sync;

import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.audit.EventFields;
import id.jembatan.delivery.DeliveryAudit;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.index.CitizenRecord;
import id.jembatan.index.MasterCitizenIndex;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.CitizenSnapshot;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a delivery does with sync jobs' snapshots, on the agency's own delivery path: reads each snapshot's citizen
 * from the master index when the batch is delivered ({@link #resolve}), tells which live events the agency already
 * has in a snapshot ({@link #watermarks}), and records what was delivered ({@link #recordDeliveries}: the audit
 * entries of live events and snapshots, the agency's watermarks and the jobs' progress, in one commit before the
 * broker transaction commits).
 *
 * <p>Why an agency never gets an older state of a citizen after a newer one: a citizen's messages stay in queue order
 * on one consumer (message groups); every live event carries the version its apply gave the record; a snapshot is
 * the record as it is when delivered, so never older than a live event delivered before it (that event was applied
 * before it was queued); and a live event whose version is not above the highest snapshot version the agency got is
 * not delivered after it (the snapshot already holds its effect). docs/architecture.md, "Sync jobs".
 */
@Service
public class SyncDelivery {

    /** The channel of a sync's audit entries: what the citizen's access log shows. */
    public static final String CHANNEL = "SYNC";

    /** A snapshot message of a batch: the citizen and the job. */
    public record Request(String nik, UUID syncId) {
    }

    /**
     * A snapshot ready for the agency.
     *
     * @param event   the record as the agency may receive it
     * @param version the record's version it shows
     */
    public record Snapshot(CitizenSnapshot event, long version, UUID syncId, String purpose) {
    }

    private final MasterCitizenIndex index;
    private final SyncJobs jobs;
    private final Subscriptions subscriptions;
    private final DeliveryAudit deliveryAudit;
    private final AuditTrail audit;
    private final JdbcTemplate jdbc;
    private final SyncMetrics metrics;

    public SyncDelivery(MasterCitizenIndex index, SyncJobs jobs, Subscriptions subscriptions,
                        DeliveryAudit deliveryAudit, AuditTrail audit, JdbcTemplate jdbc, SyncMetrics metrics) {
        this.index = index;
        this.jobs = jobs;
        this.subscriptions = subscriptions;
        this.deliveryAudit = deliveryAudit;
        this.audit = audit;
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    /**
     * Reads a snapshot message: its body {@code {"type":"CitizenSnapshot","nik":...}} and its job
     * ({@code JembatanSyncId}).
     *
     * @throws JembatanException {@code MALFORMED_JSON} for a message that is not a sync job's
     */
    public static Request request(String body, String syncId) {
        try {
            JsonNode tree = CanonicalJson.mapper().readTree(body);
            String nik = tree.path("nik").asText(null);
            if (nik == null || syncId == null) {
                throw new JembatanException(ErrorCode.MALFORMED_JSON, "a snapshot message without its citizen or job");
            }
            return new Request(nik, UUID.fromString(syncId));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new JembatanException(ErrorCode.MALFORMED_JSON, "a snapshot message that is not a sync job's");
        }
    }

    /**
     * The snapshots of a batch, as the agency may receive them, by position in {@code requests}; a request whose job
     * was cancelled (or is unknown) or whose citizen is not registered has no entry: it is dropped with the batch.
     */
    public Map<Integer, Snapshot> resolve(String agency, List<Request> requests) {
        if (requests.isEmpty()) {
            return Map.of();
        }
        Map<UUID, SyncJobs.Standing> byId = jobs.standing(requests.stream().map(Request::syncId).toList());
        Map<String, CitizenRecord> records = new HashMap<>();
        index.findAll(requests.stream().map(Request::nik).toList())
                .forEach(r -> records.put(r.citizen().nik(), r));
        var filter = subscriptions.require(agency).filter();
        Map<Integer, Snapshot> snapshots = new LinkedHashMap<>();
        int dropped = 0;
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            SyncJobs.Standing job = byId.get(request.syncId());
            CitizenRecord record = records.get(request.nik());
            if (job == null || job.state() == SyncJob.State.CANCELLED || record == null) {
                dropped++;
                continue;
            }
            CitizenSnapshot whole = new CitizenSnapshot(eventId(request.syncId(), request.nik(), record.version()),
                    record.updatedAt(), record.citizen(), record.spouseNik(), record.dateOfDeath(),
                    record.placeOfDeath());
            snapshots.put(i, new Snapshot((CitizenSnapshot) filter.apply(whole), record.version(),
                    request.syncId(), job.purpose()));
        }
        metrics.count(agency, SyncMetrics.CANCELLED, dropped);
        return snapshots;
    }

    /**
     * The snapshot's event id, the agency's idempotency key: the same for the same job, citizen and record version,
     * so a snapshot delivered again (after a crash) is a repeat to the agency, and a newer one is not.
     */
    public static UUID eventId(UUID syncId, String nik, long version) {
        return UUID.nameUUIDFromBytes(("snapshot:" + syncId + ":" + nik + ":" + version)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The highest record version {@code agency} got in a snapshot, for those of {@code niks} it got one of. */
    public Map<String, Long> watermarks(String agency, Collection<String> niks) {
        if (niks.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> found = new HashMap<>();
        // One array parameter, whatever the batch's size: one statement the driver prepares once, where a list of
        // placeholders was a statement of its own for each batch size.
        jdbc.query("SELECT nik, version FROM sync_watermark WHERE agency = ? AND nik = ANY (?::text[])",
                rs -> {
                    found.put(rs.getString(1), rs.getLong(2));
                }, agency, niks.stream().distinct().toArray(String[]::new));
        return found;
    }

    /**
     * Records one delivered batch, in one commit: the live events' {@code EVENT_DELIVERED} entries
     * ({@link DeliveryAudit}), one entry per snapshot (purpose {@code INITIAL_LOAD} or {@code RESYNC}, channel
     * {@value #CHANNEL}, the job as reference), the versions the agency now has, and the jobs' progress. The order
     * keeps two locks short: the watermarks first, then the audit entries in one append (a lane of the chain
     * stays held from there to the commit, one fewer for the other auditing transactions meanwhile), the jobs'
     * progress last (its row references the job's, which locks that row against the runner, whose next page skips a
     * job it finds locked and waits for its poll interval: with the progress written before the audit append, the
     * benchmark's sync to the tax office's fast sink fell to 1,877 citizens/s; with it last, 5,144).
     */
    @Transactional
    public void recordDeliveries(String agency, List<CitizenEvent> live, List<Snapshot> snapshots) {
        List<AuditRecord> entries = new ArrayList<>(deliveryAudit.entries(agency, live));
        int[] fresh = new int[0];
        if (!snapshots.isEmpty()) {
            jdbc.batchUpdate("""
                            INSERT INTO sync_watermark (agency, nik, version) VALUES (?, ?, ?)
                            ON CONFLICT (agency, nik) DO UPDATE SET version = GREATEST(sync_watermark.version,
                                                                                      EXCLUDED.version)""",
                    snapshots.stream().map(s -> new Object[]{agency, s.event().subjectNik(), s.version()}).toList());
            fresh = jdbc.batchUpdate(FIRST_TIME,
                    snapshots.stream().map(s -> new Object[]{s.syncId(), s.event().subjectNik()}).toList());
            snapshots.forEach(s -> entries.add(new AuditRecord(agency, s.event().subjectNik(),
                    AuditAction.EVENT_DELIVERED, s.purpose(), EventFields.of(s.event()), CHANNEL,
                    DeliveryAudit.OUTCOME, s.syncId().toString())));
        }
        audit.appendAll(entries);
        if (snapshots.isEmpty()) {
            return;
        }
        Map<UUID, Integer> byJob = new HashMap<>();
        for (int i = 0; i < snapshots.size(); i++) {
            if (fresh[i] > 0) {
                byJob.merge(snapshots.get(i).syncId(), 1, Integer::sum);
            }
        }
        byJob.forEach((id, count) -> jobs.progressed(id, count, 0));
        metrics.count(agency, SyncMetrics.DELIVERED, snapshots.size());
    }

    /** A snapshot of {@code nik} the agency refused went to its dead-letter queue. */
    @Transactional
    public void failed(String agency, UUID syncId, String nik) {
        if (jdbc.update(FIRST_TIME, syncId, nik) > 0) {
            jobs.progressed(syncId, 0, 1);
        }
        metrics.count(agency, SyncMetrics.FAILED, 1);
    }

    /**
     * Marks a job's citizen as taken or refused; 0 rows when it already was (a batch delivered again after its
     * broker transaction was lost), so the job counts each citizen once.
     */
    private static final String FIRST_TIME =
            "INSERT INTO sync_delivered (sync_id, nik) VALUES (?, ?) ON CONFLICT (sync_id, nik) DO NOTHING";

    /** Live events not delivered because the agency already had a newer snapshot. */
    public void superseded(String agency, int count) {
        metrics.count(agency, SyncMetrics.SUPERSEDED, count);
    }
}
