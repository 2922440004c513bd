package id.jembatan.audit;

import id.jembatan.tx.GroupCommit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The hash-chained audit log in the database. Each entry holds the SHA-256 of the entry before it; an append locks
 * the chain's head row, so concurrent appends (threads or bus instances) form one chain, and it joins the caller's
 * transaction, so an applied event and its audit entry commit together. An append outside a transaction (a lookup,
 * a delivery) is group-committed: one writer thread takes every entry waiting, appends them under one head lock in
 * one transaction, and only then lets each caller go on, so an answer still waits for its own entry to be durable
 * but concurrent callers share a commit instead of queueing on the head row one commit at a time.
 * {@link #verify()} recomputes the chain and reports the first entry that was changed, removed or inserted.
 */
@Repository
public class AuditChain implements AuditTrail, DisposableBean {

    /** The "previous hash" of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    /** Most entries one group commit takes: bounds the time the head row stays locked. */
    static final int MAX_GROUP = 256;

    private static final String INSERT = """
            INSERT INTO audit_entry (seq, at, agency, nik, action, purpose, fields, channel, outcome, reference,
                                     operator, reason, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private record Head(long seq, String hash) {
    }

    private final JdbcClient jdbc;
    /** For the batch insert, which JdbcClient does not offer; same data source, same transactions. */
    private final JdbcTemplate batch;
    private final DataSource dataSource;
    private final Clock clock;
    private final GroupCommit<AuditRecord, Void> groupCommit;
    private final TransactionTemplate transaction;

    public AuditChain(JdbcClient jdbc, DataSource dataSource, Clock clock, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.batch = new JdbcTemplate(dataSource);
        this.dataSource = dataSource;
        this.clock = clock;
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
     * Appends a batch's entries (the deliveries of one batch) under one head lock, as one JDBC batch: within the
     * caller's database transaction when there is one, otherwise in one transaction of their own, returning once it
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
     * Appends in order under the head row lock, in the current transaction; a group's entries go to the database as
     * one JDBC batch (one round trip to PostgreSQL instead of one per entry).
     */
    private void appendLocked(List<AuditRecord> records) {
        // Lock the head row and read it in one round trip: a concurrent append, here or in another instance, waits
        // for this transaction.
        Head head = jdbc.sql("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                .query((rs, row) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
        List<Object[]> rows = new ArrayList<>(records.size());
        for (AuditRecord r : records) {
            head = chain(head, r, rows);
        }
        batch.batchUpdate(INSERT, rows);
        jdbc.sql("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1").params(head.seq(), head.hash()).update();
    }

    /** Adds the entry that follows {@code head} to {@code rows}; returns it as the new head. */
    private Head chain(Head head, AuditRecord r, List<Object[]> rows) {
        long seq = head.seq() + 1;
        // Databases keep microseconds: hash exactly what is stored.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String fields = String.join(",", r.fields().stream().sorted().toList());
        String hash = hash(seq, at, r.agency(), r.nik(), r.action().name(), r.purpose(), fields, r.channel(),
                r.outcome(), r.reference(), r.operator(), r.reason(), head.hash());
        rows.add(new Object[]{seq, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), r.agency(), r.nik(),
            r.action().name(), r.purpose(), fields, r.channel(), r.outcome(), r.reference(), r.operator(),
            r.reason(), head.hash(), hash});
        return new Head(seq, hash);
    }

    /**
     * Walks the chain in order, up to the head as it stands when the walk begins: entries appended meanwhile are
     * left for the next verification, so a busy bus is never reported broken.
     */
    @Transactional(readOnly = true)
    public AuditVerification verify() {
        Head head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1")
                .query((rs, row) -> new Head(rs.getLong(1), rs.getString(2))).single();
        AtomicReference<AuditVerification> broken = new AtomicReference<>();
        long[] expected = {1};
        String[] previous = {GENESIS};
        jdbc.sql("""
                        SELECT seq, at, agency, nik, action, purpose, fields, channel, outcome, reference,
                               operator, reason, prev_hash, hash
                        FROM audit_entry WHERE seq <= ? ORDER BY seq""")
                .param(head.seq())
                .query(rs -> {
                    if (broken.get() != null) {
                        return;
                    }
                    long seq = rs.getLong("seq");
                    if (seq != expected[0]) {
                        broken.set(AuditVerification.brokenAt(expected[0], seq > expected[0]
                                ? "entry " + expected[0] + " is missing" : "entry " + seq + " appears twice"));
                        return;
                    }
                    if (!previous[0].equals(rs.getString("prev_hash"))) {
                        broken.set(AuditVerification.brokenAt(seq, "does not link to the entry before it"));
                        return;
                    }
                    Instant at = rs.getObject("at", OffsetDateTime.class).toInstant();
                    String recomputed = hash(seq, at, rs.getString("agency"), rs.getString("nik"),
                            rs.getString("action"), rs.getString("purpose"), rs.getString("fields"),
                            rs.getString("channel"), rs.getString("outcome"), rs.getString("reference"),
                            rs.getString("operator"), rs.getString("reason"), rs.getString("prev_hash"));
                    if (!recomputed.equals(rs.getString("hash"))) {
                        broken.set(AuditVerification.brokenAt(seq, "its content does not match its hash"));
                        return;
                    }
                    previous[0] = recomputed;
                    expected[0]++;
                });
        if (broken.get() != null) {
            return broken.get();
        }
        long entries = expected[0] - 1;
        if (entries != head.seq() || !head.hash().equals(previous[0])) {
            return AuditVerification.brokenAt(entries + 1, "the chain ends at entry " + entries
                    + " but its head records entry " + head.seq());
        }
        return AuditVerification.valid(entries, head.hash());
    }

    public long size() {
        return jdbc.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
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
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }
}
