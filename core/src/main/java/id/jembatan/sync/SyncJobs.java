package id.jembatan.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.operations.OperatorAction;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.SyncRequest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The sync jobs (table {@code sync_job}): started by an operator or by an agency's {@code sync-on-start}, advanced
 * by {@link SyncRunner} (what it put on the queue) and by deliveries ({@link SyncDelivery}: what the agency took),
 * cancelled by an operator. A job's citizens are read in NIK order from its checkpoint on, so a restarted bus
 * resumes where it stopped.
 */
@Repository
public class SyncJobs {

    private static final String INSERTED = "id, agency, state, total, sent, rate_per_second, started_at,"
            + " finished_at, purpose, scope, checkpoint, enqueued_all";
    private static final String DELIVERED = "(SELECT COALESCE(SUM(p.delivered), 0) FROM sync_progress p"
            + " WHERE p.sync_id = sync_job.id)";
    private static final String FAILED = "(SELECT COALESCE(SUM(p.failed), 0) FROM sync_progress p"
            + " WHERE p.sync_id = sync_job.id)";
    private static final String COLUMNS = INSERTED + ", " + DELIVERED + " AS delivered, " + FAILED + " AS failed";

    /** A job was started: the runner wakes, its MBean and metrics appear. */
    public record Started(SyncJob job) {
    }

    private final JdbcClient jdbc;
    private final Subscriptions subscriptions;
    private final SyncSettings settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AuditTrail audit;
    private final RowMapper<SyncJob> row = this::map;

    public SyncJobs(JdbcClient jdbc, Subscriptions subscriptions, SyncSettings settings,
                    ApplicationEventPublisher events, Clock clock, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Starts a job for {@code agency}: counts the citizens in scope and records the job; the runner starts sending
     * once this transaction has committed.
     *
     * @throws JembatanException {@code RESOURCE_NOT_FOUND} if no events are delivered to that agency,
     *                           {@code SCHEMA_VIOLATION} if a {@code niks} scope lists more than
     *                           {@code jembatan.sync.maximum-niks}
     */
    @Transactional
    public SyncJob start(String agency, SyncRequest request, OperatorAction by) {
        if (subscriptions.all().stream().noneMatch(s -> s.agencyId().equals(agency))) {
            throw new JembatanException(ErrorCode.RESOURCE_NOT_FOUND, "no delivery to an agency '" + agency + "'");
        }
        SyncRequest.Scope scope = request.scope();
        if (scope.niks() != null && scope.niks().size() > settings.maximumNiks()) {
            throw new JembatanException(ErrorCode.SCHEMA_VIOLATION, "a sync names at most "
                    + settings.maximumNiks() + " NIKs; this one names " + scope.niks().size());
        }
        Where where = where(scope);
        long total = jdbc.sql("SELECT COUNT(*) FROM citizen WHERE " + where.sql()).params(where.params())
                .query(Long.class).single();
        boolean first = jdbc.sql("SELECT COUNT(*) FROM sync_job WHERE agency = ?").param(agency)
                .query(Long.class).single() == 0;
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO sync_job (" + INSERTED + ") VALUES (?, ?, ?, ?, 0, ?, ?, NULL, ?, ?, NULL, ?)")
                .params(id, agency, SyncJob.State.RUNNING.name(), total, request.ratePerSecond(), now(),
                        first ? SyncJob.INITIAL_LOAD : SyncJob.RESYNC, write(scope), total == 0)
                .update();
        SyncJob job = require(agency, id);
        // In this transaction: the job exists if and only if the chain says who started it and why.
        audit.append(operatorAction(agency, AuditAction.SYNC_STARTED, id, by));
        events.publishEvent(new Started(job));
        return job;
    }

    /** Whether {@code agency} ever had a sync job (a {@code sync-on-start} runs only for an agency that had none). */
    public boolean anyFor(String agency) {
        return jdbc.sql("SELECT COUNT(*) FROM sync_job WHERE agency = ?").param(agency).query(Long.class).single() > 0;
    }

    public Optional<SyncJob> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sync_job WHERE id = ?").param(id).query(row).optional();
    }

    /** The job {@code id} of {@code agency}, else {@code RESOURCE_NOT_FOUND}. */
    public SyncJob require(String agency, UUID id) {
        return find(id).filter(job -> job.agency().equals(agency))
                .orElseThrow(() -> new JembatanException(ErrorCode.RESOURCE_NOT_FOUND,
                        "no sync job " + id + " of agency '" + agency + "'"));
    }

    /** The agency's jobs, newest first. */
    public List<SyncJob> of(String agency) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sync_job WHERE agency = ? ORDER BY started_at DESC, id")
                .param(agency).query(row).list();
    }

    /** The jobs still running, oldest first. */
    public List<SyncJob> running() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sync_job WHERE state = ? ORDER BY started_at, id")
                .param(SyncJob.State.RUNNING.name()).query(row).list();
    }

    /** What a delivery needs of a job: whether it was cancelled, and the purpose its audit entries name. */
    public record Standing(SyncJob.State state, String purpose) {
    }

    /** The standing of the given jobs (unknown ones left out), in one query that does not sum their progress. */
    public Map<UUID, Standing> standing(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<UUID> distinct = ids.stream().distinct().toList();
        Map<UUID, Standing> jobs = new java.util.HashMap<>();
        jdbc.sql("SELECT id, state, purpose FROM sync_job WHERE id IN ("
                        + String.join(", ", Collections.nCopies(distinct.size(), "?")) + ")")
                .params(new ArrayList<Object>(distinct))
                .query(rs -> {
                    jobs.put(rs.getObject(1, UUID.class),
                            new Standing(SyncJob.State.valueOf(rs.getString(2)), rs.getString(3)));
                });
        return jobs;
    }

    /**
     * Cancels a running job (its figures stay as they are): nothing more is sent, and its snapshots still on the
     * queue are dropped at delivery. A finished job stays as it is.
     */
    @Transactional
    public SyncJob cancel(String agency, UUID id, OperatorAction by) {
        require(agency, id);
        if (jdbc.sql("UPDATE sync_job SET state = ?, finished_at = ? WHERE id = ? AND state = ?")
                .params(SyncJob.State.CANCELLED.name(), now(), id, SyncJob.State.RUNNING.name()).update() == 1) {
            forgetCitizens(id);
            audit.append(operatorAction(agency, AuditAction.SYNC_CANCELLED, id, by));
        }
        return require(agency, id);
    }

    /**
     * Locks a running job for one page of the runner, in the caller's transaction; empty when it is no longer
     * running or another bus instance is stepping it. Its {@code delivered} and {@code failed} are not read (0): a
     * page needs the scope and the checkpoint, and summing the progress for every page would cost more as it grows.
     * The lock is {@code FOR NO KEY UPDATE} (the runner changes no key of the row): it excludes another runner and a
     * cancel, but not the deliveries' progress rows, whose reference to the job takes a key-share lock on it until
     * their commit; with {@code FOR UPDATE} a page found the job locked by a delivery, skipped it and waited for the
     * poll interval.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<SyncJob> lockRunning(UUID id) {
        return jdbc.sql("SELECT " + INSERTED + ", 0 AS delivered, 0 AS failed FROM sync_job WHERE id = ? AND state = ?"
                        + " FOR NO KEY UPDATE SKIP LOCKED")
                .params(id, SyncJob.State.RUNNING.name()).query(row).optional();
    }

    /** The next NIKs of the job's scope after its checkpoint, in NIK order. */
    List<String> nextPage(SyncJob job, int limit) {
        Where where = where(job.scope());
        List<Object> params = new ArrayList<>(where.params());
        String after = "";
        if (job.checkpoint() != null) {
            after = " AND nik > ?";
            params.add(job.checkpoint());
        }
        params.add(limit);
        return jdbc.sql("SELECT nik FROM citizen WHERE " + where.sql() + after + " ORDER BY nik LIMIT ?")
                .params(params).query(String.class).list();
    }

    /** Records a page put on the agency's queue, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void sent(UUID id, int count, String checkpoint, boolean enqueuedAll) {
        jdbc.sql("UPDATE sync_job SET sent = sent + ?, checkpoint = COALESCE(?, checkpoint), enqueued_all = ?"
                        + " WHERE id = ?")
                .params(count, checkpoint, enqueuedAll, id).update();
    }

    /**
     * Counts snapshots the agency took ({@code delivered}) or refused ({@code failed}), in the caller's transaction:
     * a row of its own, so that deliveries do not wait for the job's row.
     */
    void progressed(UUID id, int delivered, int failed) {
        jdbc.sql("INSERT INTO sync_progress (sync_id, delivered, failed) VALUES (?, ?, ?)")
                .params(id, delivered, failed).update();
    }

    /**
     * Completes the job if every citizen is on the queue and the agency took or refused each; its total becomes what
     * was sent (citizens born meanwhile whose NIK came after the checkpoint were sent too).
     *
     * @return whether it completed now
     */
    @Transactional
    boolean completeIfDone(UUID id) {
        boolean completed = jdbc.sql("UPDATE sync_job SET state = ?, finished_at = ?, total = sent WHERE id = ?"
                        + " AND state = ? AND enqueued_all AND " + DELIVERED + " + " + FAILED + " >= sent")
                .params(SyncJob.State.COMPLETED.name(), now(), id, SyncJob.State.RUNNING.name()).update() == 1;
        if (completed) {
            forgetCitizens(id);
        }
        return completed;
    }

    /** A finished job's citizens need no counting any more. */
    private void forgetCitizens(UUID id) {
        jdbc.sql("DELETE FROM sync_delivered WHERE sync_id = ?").param(id).update();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** A scope as a condition on the citizen table. */
    private record Where(String sql, List<Object> params) {
    }

    private static Where where(SyncRequest.Scope scope) {
        if (scope.regionPrefix() != null) {
            return new Where("village_code LIKE ?", List.of(scope.regionPrefix() + "%"));
        }
        if (scope.niks() != null) {
            List<String> niks = scope.niks().stream().distinct().toList();
            return new Where("nik IN (" + String.join(", ", Collections.nCopies(niks.size(), "?")) + ")",
                    new ArrayList<>(niks));
        }
        if (scope.changedSince() != null) {
            return new Where("updated_at >= ?", List.of(scope.changedSince()));
        }
        return new Where("1 = 1", List.of());
    }

    private static String write(SyncRequest.Scope scope) {
        try {
            return CanonicalJson.mapper().writeValueAsString(scope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a sync scope could not be written", e);
        }
    }

    private static SyncRequest.Scope read(String json) {
        try {
            return CanonicalJson.mapper().readValue(json, SyncRequest.Scope.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored sync scope could not be read", e);
        }
    }

    private SyncJob map(ResultSet rs, int rowNumber) throws SQLException {
        return new SyncJob(rs.getObject("id", UUID.class), rs.getString("agency"),
                SyncJob.State.valueOf(rs.getString("state")), rs.getLong("total"), rs.getLong("sent"),
                rs.getLong("delivered"), rs.getLong("failed"), rs.getObject("rate_per_second", Integer.class),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                rs.getString("purpose"), read(rs.getString("scope")), rs.getString("checkpoint"),
                rs.getBoolean("enqueued_all"));
    }

    /** An operator's action on a job: outcome {@code DONE}, the job's id as the entry's reference. */
    private static AuditRecord operatorAction(String agency, AuditAction action, UUID job, OperatorAction by) {
        return new AuditRecord(agency, null, action, null, List.of(), by.channel(), "DONE", job.toString(),
                by.operator(), by.reason());
    }
}
