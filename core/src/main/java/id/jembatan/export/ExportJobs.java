package id.jembatan.export;

import id.jembatan.export.ExportJob.ExportFile;
import id.jembatan.export.ExportJob.State;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The bulk export jobs' rows ({@code bulk_export}, {@code bulk_export_file}): what a status poll answers from. */
@Repository
public class ExportJobs {

    private static final String COLUMNS = "id, agency, purpose, request, since, state, transaction_time, total,"
            + " exported, error_code, heartbeat_at, finished_at";

    private final JdbcClient jdbc;

    public ExportJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ExportJob job) {
        jdbc.sql("INSERT INTO bulk_export (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(job.id(), job.agency(), job.purpose(), job.request(), job.since(), job.state().name(),
                        job.transactionTime(), job.total(), job.exported(), job.errorCode(), job.heartbeatAt(),
                        job.finishedAt())
                .update();
    }

    Optional<ExportJob> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM bulk_export WHERE id = ?").param(id)
                .query((rs, row) -> map(rs, List.of())).optional()
                .map(job -> new ExportJob(job.id(), job.agency(), job.purpose(), job.request(), job.since(),
                        job.state(), job.transactionTime(), job.total(), job.exported(), job.errorCode(),
                        job.heartbeatAt(), job.finishedAt(), files(id)));
    }

    /** Jobs of {@code agency} still running, stale ones included (the caller tells them apart). */
    List<ExportJob> running(String agency) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM bulk_export WHERE agency = ? AND state = ?")
                .params(agency, State.RUNNING.name())
                .query((rs, row) -> map(rs, List.of())).list();
    }

    /**
     * Records progress and that the job is alive.
     *
     * @return false when the job is no longer running here (cancelled: its row is gone)
     */
    boolean progress(UUID id, long exported, OffsetDateTime now) {
        return jdbc.sql("UPDATE bulk_export SET exported = ?, heartbeat_at = ? WHERE id = ? AND state = ?")
                .params(exported, now, id, State.RUNNING.name()).update() == 1;
    }

    /** Keeps the jobs this instance holds (queued or running) from being taken for interrupted ones. */
    void heartbeat(Collection<UUID> ids, OffsetDateTime now) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE bulk_export SET heartbeat_at = ? WHERE state = ? AND id IN ("
                        + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")
                .params(concat(List.of(now, State.RUNNING.name()), ids))
                .update();
    }

    boolean addFile(UUID id, ExportFile file) {
        return jdbc.sql("INSERT INTO bulk_export_file (export_id, seq, resources) SELECT id, ?, ? FROM bulk_export"
                        + " WHERE id = ? AND state = ?")
                .params(file.seq(), file.resources(), id, State.RUNNING.name()).update() == 1;
    }

    /** @return false when the job was cancelled meanwhile */
    boolean finish(UUID id, State state, String errorCode, long exported, OffsetDateTime now) {
        return jdbc.sql("UPDATE bulk_export SET state = ?, error_code = ?, exported = ?, heartbeat_at = ?,"
                        + " finished_at = ? WHERE id = ? AND state = ?")
                .params(state.name(), errorCode, exported, now, now, id, State.RUNNING.name()).update() == 1;
    }

    /**
     * Fails running jobs whose bus has not shown a sign of life since {@code staleBefore}: a restart or crash
     * stopped them.
     *
     * @return how many
     */
    int failStale(OffsetDateTime staleBefore, String errorCode, OffsetDateTime now) {
        return jdbc.sql("UPDATE bulk_export SET state = ?, error_code = ?, finished_at = ? WHERE state = ?"
                        + " AND heartbeat_at < ?")
                .params(State.FAILED.name(), errorCode, now, State.RUNNING.name(), staleBefore).update();
    }

    /** Finished jobs whose files are due for removal. */
    List<UUID> finishedBefore(OffsetDateTime before) {
        return jdbc.sql("SELECT id FROM bulk_export WHERE state <> ? AND finished_at < ?")
                .params(State.RUNNING.name(), before).query(UUID.class).list();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM bulk_export WHERE id = ?").param(id).update() == 1;
    }

    private List<ExportFile> files(UUID id) {
        return jdbc.sql("SELECT seq, resources FROM bulk_export_file WHERE export_id = ? ORDER BY seq").param(id)
                .query((rs, row) -> new ExportFile(rs.getInt("seq"), rs.getLong("resources"))).list();
    }

    private static ExportJob map(ResultSet rs, List<ExportFile> files) throws SQLException {
        return new ExportJob(rs.getObject("id", UUID.class), rs.getString("agency"), rs.getString("purpose"),
                rs.getString("request"), rs.getObject("since", OffsetDateTime.class),
                State.valueOf(rs.getString("state")), rs.getObject("transaction_time", OffsetDateTime.class),
                rs.getLong("total"), rs.getLong("exported"), rs.getString("error_code"),
                rs.getObject("heartbeat_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                files);
    }

    private static List<Object> concat(List<Object> first, Collection<?> rest) {
        List<Object> all = new ArrayList<>(first);
        all.addAll(rest);
        return all;
    }
}
