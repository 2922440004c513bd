package id.jembatan.audit;

import id.jembatan.tx.GroupCommit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash-chained audit log in the database, in lanes. Each entry holds the SHA-256 of the entry before it in its
 * lane; an append locks a lane's head row for the rest of its transaction, so appends in one lane form one chain even
 * from several bus instances, and it joins the caller's transaction, so an applied event and its audit entry commit
 * together. A transaction takes the first lane no other transaction holds ({@code FOR UPDATE SKIP LOCKED}; it waits
 * for one only when every lane is held), and keeps it for its later appends: as many transactions can append at once
 * as there are lanes ({@code jembatan.audit.lanes}), instead of each waiting for the one before it to commit. Every
 * entry still gets a position ({@code seq}) of the whole log, drawn while its lane is locked: unique, increasing in
 * its lane, and across lanes the order in which entries took their positions. An append outside a transaction (a
 * lookup, a delivery) is group-committed: one writer thread takes every entry waiting, appends them in one lane in one
 * transaction, and only then lets each caller go on, so an answer still waits for its own entry to be durable.
 * {@link #verify()} recomputes every lane and reports the first entry that was changed, removed or inserted.
 */
@Repository
public class AuditChain implements AuditTrail, DisposableBean {

    /** The "previous hash" of lane 1's first entry (the chain as it was before lanes). */
    public static final String GENESIS = "0".repeat(64);

    /** Most entries one group commit takes: bounds the time a lane stays locked. */
    static final int MAX_GROUP = 256;

    private static final String INSERT = """
            INSERT INTO audit_entry (seq, at, agency, nik, action, purpose, fields, channel, outcome, reference,
                                     operator, reason, prev_hash, hash, lane)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * Locks the first lane (of the first {@code ?}) no other transaction holds and draws {@code ?} positions: a row
     * per position, each with the lane's head; none when every lane is held.
     */
    private static final String TAKE_FREE_LANE = """
            SELECT h.id, h.seq, h.hash, h.entries, nextval('audit_entry_seq') AS position
            FROM (SELECT id, seq, hash, entries FROM audit_head WHERE id <= ? ORDER BY id LIMIT 1
                  FOR UPDATE SKIP LOCKED) h
            CROSS JOIN generate_series(1, ?)
            ORDER BY position""";

    /** Locks lane {@code ?}, waiting for it if another transaction holds it, and draws {@code ?} positions. */
    private static final String TAKE_LANE = """
            SELECT h.id, h.seq, h.hash, h.entries, nextval('audit_entry_seq') AS position
            FROM (SELECT id, seq, hash, entries FROM audit_head WHERE id = ? FOR UPDATE) h
            CROSS JOIN generate_series(1, ?)
            ORDER BY position""";

    /** A lane's head: its newest entry's position and hash, and how many entries it holds. */
    private record Head(int lane, long seq, String hash, long entries) {
    }

    /** A lane taken by a transaction, with the positions drawn for its entries. */
    private record Taken(Head head, long[] positions) {
    }

    private final JdbcClient jdbc;
    /** For the batch insert, which JdbcClient does not offer; same data source, same transactions. */
    private final JdbcTemplate batch;
    private final DataSource dataSource;
    private final Clock clock;
    private final AuditSettings settings;
    private final GroupCommit<AuditRecord, Void> groupCommit;
    private final TransactionTemplate transaction;
    /** The key under which a transaction keeps the lane it took. */
    private final Object laneKey = new Object();

    public AuditChain(JdbcClient jdbc, DataSource dataSource, Clock clock, TransactionTemplate transaction,
                      AuditSettings settings) {
        this.jdbc = jdbc;
        this.batch = new JdbcTemplate(dataSource);
        this.dataSource = dataSource;
        this.clock = clock;
        this.settings = settings;
        this.transaction = transaction;
        this.groupCommit = new GroupCommit<>("audit-group-commit", MAX_GROUP, transaction, records -> {
            appendLocked(records);
            return Collections.nCopies(records.size(), GroupCommit.Outcome.<Void>of(null));
        });
    }

    /**
     * Appends {@code r}: within the caller's database transaction when there is one (it commits or rolls back with
     * it; a broker transaction alone does not count), otherwise in the next group commit, returning once that commit is done.
     *
     * @throws DataAccessException    when the database was busy or unreachable (nothing of it is in the chain)
     * @throws IllegalStateException when the entry could not be written otherwise (nothing of it is in the chain)
     */
    @Override
    public void append(AuditRecord r) {
        if (TransactionSynchronizationManager.getResource(dataSource) != null) {
            appendLocked(List.of(r));
            return;
        }
        try {
            groupCommit.submit(r);
        } catch (DataAccessException busyOrDown) {
            // As when the caller writes it itself: a busy or unreachable database answers 503, not 500.
            throw busyOrDown;
        } catch (RuntimeException e) {
            throw new IllegalStateException("audit entry not written: " + e, e);
        }
    }

    /**
     * Appends a batch's entries (the deliveries of one batch) in one lane, as one JDBC batch: within the caller's
     * database transaction when there is one, otherwise in one transaction of their own, returning once it
     * committed. A batch large enough to need no company does not wait for the group writer.
     *
     * @throws DataAccessException when the database was busy or unreachable (none of them is in the chain)
     */
    @Override
    public void appendAll(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        if (records.size() == 1 || TransactionSynchronizationManager.getResource(dataSource) != null) {
            if (records.size() == 1) {
                append(records.get(0));
            } else {
                appendLocked(records);
            }
            return;
        }
        transaction.executeWithoutResult(status -> appendLocked(records));
    }

    /** Stops the group writer; entries still waiting fail (their callers were not answered). */
    @Override
    public void destroy() throws InterruptedException {
        groupCommit.close();
    }

    /**
     * Appends in order in the current transaction's lane (taking one first if it holds none); a group's entries go
     * to the database as one JDBC batch (one round trip to PostgreSQL instead of one per entry).
     */
    private void appendLocked(List<AuditRecord> records) {
        Taken taken = takeLane(records.size());
        Head head = taken.head();
        List<Object[]> rows = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            head = chain(head, records.get(i), taken.positions()[i], rows);
        }
        batch.batchUpdate(INSERT, rows);
        jdbc.sql("UPDATE audit_head SET seq = ?, hash = ?, entries = ? WHERE id = ?")
                .params(head.seq(), head.hash(), head.entries(), head.lane()).update();
    }

    /**
     * Locks and reads the head of the lane this transaction appends to, and draws {@code count} positions, in one
     * round trip: the lane it already holds; else the first free one; else, every lane being held by another
     * transaction, it waits for one (a lane of its own thread's choosing, so waiting threads spread). A transaction
     * waits only while it holds no lane, so two appending transactions never wait for each other's lane.
     */
    private Taken takeLane(int count) {
        Integer held = (Integer) TransactionSynchronizationManager.getResource(laneKey);
        List<Taken> taken = held != null
                ? take(TAKE_LANE, held, count)
                : take(TAKE_FREE_LANE, settings.lanes(), count);
        if (taken.isEmpty() && held == null) {
            int wait = 1 + (int) Math.floorMod(Thread.currentThread().getId(), (long) settings.lanes());
            taken = take(TAKE_LANE, wait, count);
        }
        if (taken.isEmpty()) {
            throw new IllegalStateException("the audit chain's lanes are missing from the schema (audit_head)");
        }
        if (held == null && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.bindResource(laneKey, taken.get(0).head().lane());
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(laneKey);
                }
            });
        }
        return taken.get(0);
    }

    private List<Taken> take(String statement, int lane, int count) {
        long[] positions = new long[count];
        Head[] head = new Head[1];
        int[] row = {0};
        jdbc.sql(statement).params(lane, count).query(rs -> {
            if (head[0] == null) {
                head[0] = new Head(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getLong(4));
            }
            positions[row[0]++] = rs.getLong(5);
        });
        return head[0] == null ? List.of() : List.of(new Taken(head[0], positions));
    }

    /** Adds the entry that follows {@code head} at {@code position} to {@code rows}; returns it as the new head. */
    private Head chain(Head head, AuditRecord r, long position, List<Object[]> rows) {
        // Databases keep microseconds: hash exactly what is stored.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String fields = String.join(",", r.fields().stream().sorted().toList());
        String hash = hash(position, at, r.agency(), r.nik(), r.action().name(), r.purpose(), fields, r.channel(),
                r.outcome(), r.reference(), r.operator(), r.reason(), head.hash());
        rows.add(new Object[]{position, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), r.agency(), r.nik(),
            r.action().name(), r.purpose(), fields, r.channel(), r.outcome(), r.reference(), r.operator(),
            r.reason(), head.hash(), hash, head.lane()});
        return new Head(head.lane(), position, hash, head.entries() + 1);
    }

    /** The "previous hash" of a lane's first entry: lane 1's is {@link #GENESIS}, each other's its own. */
    public static String genesis(int lane) {
        if (lane == 1) {
            return GENESIS;
        }
        return HexFormat.of().formatHex(sha256(("jembatan audit lane " + lane).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Walks every lane in order, in one snapshot of the database: each entry must link to the one before it in its
     * lane (the lane's genesis for the first), match its hash, and the lane must end at the entry its head records
     * and hold as many entries as the head counts. Entries appended after the snapshot are left for the next
     * verification, so a busy bus is never reported broken. Of the breaks found (at most one per lane), the one at
     * the lowest position is reported.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public AuditVerification verify() {
        Map<Integer, Head> heads = new TreeMap<>();
        jdbc.sql("SELECT id, seq, hash, entries FROM audit_head ORDER BY id")
                .query(rs -> {
                    heads.put(rs.getInt(1), new Head(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
                });
        List<AuditVerification> breaks = new ArrayList<>();
        jdbc.sql("SELECT MIN(seq) FROM audit_entry WHERE lane NOT IN (SELECT id FROM audit_head)")
                .query(Long.class).optional()
                .ifPresent(stray -> breaks.add(AuditVerification.brokenAt(stray, "it is in a lane that has no head")));
        Map<Integer, LaneWalk> walks = new TreeMap<>();
        heads.keySet().forEach(lane -> walks.put(lane, new LaneWalk(lane)));
        jdbc.sql("""
                        SELECT e.lane, e.seq, e.at, e.agency, e.nik, e.action, e.purpose, e.fields, e.channel,
                               e.outcome, e.reference, e.operator, e.reason, e.prev_hash, e.hash
                        FROM audit_entry e JOIN audit_head h ON h.id = e.lane
                        WHERE e.seq <= h.seq ORDER BY e.lane, e.seq""")
                .query((RowCallbackHandler) rs -> walks.get(rs.getInt("lane")).next(rs, breaks));
        walks.values().forEach(walk -> walk.end(heads.get(walk.lane), breaks));
        if (!breaks.isEmpty()) {
            return breaks.stream().min(Comparator.comparingLong(AuditVerification::firstBrokenAt)).orElseThrow();
        }
        List<AuditVerification.Lane> lanes = heads.values().stream()
                .filter(head -> head.entries() > 0)
                .map(head -> new AuditVerification.Lane(head.lane(), head.entries(), head.seq(), head.hash()))
                .toList();
        return AuditVerification.valid(lanes);
    }

    /** One lane's walk in {@link #verify()}: the entries so far, and the first break found in it. */
    private static final class LaneWalk {
        private final int lane;
        private String previous;
        private long count;
        private long last;
        private boolean broken;

        LaneWalk(int lane) {
            this.lane = lane;
            this.previous = genesis(lane);
        }

        void next(ResultSet rs, List<AuditVerification> breaks) throws SQLException {
            if (broken) {
                return;
            }
            long seq = rs.getLong("seq");
            if (!previous.equals(rs.getString("prev_hash"))) {
                broken(breaks, seq, "does not link to the entry before it in lane " + lane
                        + " (that one was changed or removed, or this one inserted)");
                return;
            }
            Instant at = rs.getObject("at", OffsetDateTime.class).toInstant();
            String recomputed = hash(seq, at, rs.getString("agency"), rs.getString("nik"),
                    rs.getString("action"), rs.getString("purpose"), rs.getString("fields"),
                    rs.getString("channel"), rs.getString("outcome"), rs.getString("reference"),
                    rs.getString("operator"), rs.getString("reason"), rs.getString("prev_hash"));
            if (!recomputed.equals(rs.getString("hash"))) {
                broken(breaks, seq, "its content does not match its hash");
                return;
            }
            previous = recomputed;
            count++;
            last = seq;
        }

        /** The lane must end where its head says, with as many entries as the head counts. */
        void end(Head head, List<AuditVerification> breaks) {
            if (broken) {
                return;
            }
            if (last != head.seq()) {
                broken(breaks, head.seq(), "lane " + lane + " ends at entry " + last + " but its head records entry "
                        + head.seq());
            } else if (!previous.equals(head.hash())) {
                broken(breaks, head.seq(), "lane " + lane + "'s head records another hash for it");
            } else if (count != head.entries()) {
                broken(breaks, head.seq(), "lane " + lane + " holds " + count + " entries up to it but its head counts "
                        + head.entries());
            }
        }

        private void broken(List<AuditVerification> breaks, long position, String reason) {
            broken = true;
            breaks.add(AuditVerification.brokenAt(position, reason));
        }
    }

    /** How many entries the chain holds, every lane together. */
    public long size() {
        return jdbc.sql("SELECT COALESCE(SUM(entries), 0) FROM audit_head").query(Long.class).single();
    }

    /** The hash of an agency's entry: no operator, no reason (the full form below). */
    public static String hash(long seq, Instant at, String agency, String nik, String action, String purpose,
                              String fields, String channel, String outcome, String reference, String previousHash) {
        return hash(seq, at, agency, nik, action, purpose, fields, channel, outcome, reference, null, null,
                previousHash);
    }

    /**
     * An entry's hash: SHA-256 over every field, each length-prefixed so that no two different entries read the
     * same, the previous entry's hash last. The operator and the reason (an operator's action) come after the
     * reference only when one of them is set, so an agency's entry hashes as it did before operators were recorded
     * and an older chain still verifies. Public so that a chain can be checked, or written by a tool, outside the
     * bus.
     */
    public static String hash(long seq, Instant at, String agency, String nik, String action, String purpose,
                              String fields, String channel, String outcome, String reference, String operator,
                              String reason, String previousHash) {
        StringBuilder canonical = new StringBuilder();
        String[] values = operator == null && reason == null
                ? new String[]{Long.toString(seq), at.toString(), agency, nik, action, purpose, fields, channel,
                    outcome, reference, previousHash}
                : new String[]{Long.toString(seq), at.toString(), agency, nik, action, purpose, fields, channel,
                    outcome, reference, operator, reason, previousHash};
        for (String value : values) {
            if (value == null) {
                canonical.append("-1:");
            } else {
                canonical.append(value.length()).append(':').append(value);
            }
            canonical.append('\n');
        }
        return HexFormat.of().formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }
}
