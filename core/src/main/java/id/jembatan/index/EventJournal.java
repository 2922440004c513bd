package id.jembatan.index;

import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import javax.sql.DataSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The history of applied events and the outbox: each applied event is recorded once (its id is the idempotency
 * key of ingest) together with the outbox row the relay publishes from.
 */
@Repository
public class EventJournal {

    private static final String INSERT_EVENT = """
            INSERT INTO citizen_event (event_id, nik, event_type, occurred_at, received_at, source_agency, channel,
                                       body_sha256, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * The relay publishes from the outbox row alone (V5 migration: a join to citizen_event grew with its size), in
     * the trace of the event's apply (V8), with the record's version after it (V11: a delivery compares it with the
     * version of a snapshot the agency already has).
     */
    private static final String INSERT_OUTBOX = """
            INSERT INTO outbox (event_id, created_at, event_type, nik, payload, trace_parent, citizen_version)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    /**
     * One accepted event to record.
     *
     * @param publish        false for an event the index superseded (an older move): kept in the journal, so that a
     *                       repeat is a duplicate and the history is whole, but the agencies are not told of it
     * @param citizenVersion the record's version after the event (what the index's apply returned); null when not
     *                       published
     * @param traceParent    the W3C {@code traceparent} of the event's apply, which its publication continues
     */
    public record Entry(CitizenEvent event, String bodyDigest, String sourceAgency, String channel,
                        OffsetDateTime receivedAt, boolean publish, Long citizenVersion, String traceParent) {
    }

    private final JdbcClient jdbc;
    /** For the batch inserts, which JdbcClient does not offer; same data source, same transactions. */
    private final JdbcTemplate batch;

    public EventJournal(DataSource dataSource) {
        this.batch = new JdbcTemplate(dataSource);
        this.jdbc = JdbcClient.create(batch);
    }

    /** The body digest recorded for an event id, if that event was applied. */
    public Optional<String> digestOf(UUID eventId) {
        return jdbc.sql("SELECT body_sha256 FROM citizen_event WHERE event_id = ?")
                .param(eventId)
                .query(String.class)
                .optional();
    }

    /** The body digests recorded for those of {@code eventIds} that were applied, in one query. */
    public Map<UUID, String> digestsOf(Collection<UUID> eventIds) {
        Map<UUID, String> digests = new HashMap<>();
        if (eventIds.isEmpty()) {
            return digests;
        }
        // One array parameter, whatever the group's size: one statement the driver prepares once.
        jdbc.sql("SELECT event_id, body_sha256 FROM citizen_event WHERE event_id = ANY (?::uuid[])")
                .param(eventIds.stream().map(UUID::toString).toArray(String[]::new))
                .query(rs -> {
                    digests.put(rs.getObject(1, UUID.class), rs.getString(2));
                });
        return digests;
    }

    /**
     * Records accepted events in order, in the caller's transaction: their journal rows as one JDBC batch, then the
     * outbox rows of those to publish as another (in the same order, which is the order of publication).
     *
     * @throws org.springframework.dao.DuplicateKeyException when one of the event ids is journaled already (a
     *                                                       concurrent apply of the same event committed first)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Object[]> events = new ArrayList<>(entries.size());
        List<Object[]> outbox = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            CitizenEvent event = e.event();
            String payload = CanonicalJson.write(event);
            events.add(new Object[]{event.eventId(), event.subjectNik(), event.eventType().wireName(),
                event.occurredAt(), e.receivedAt(), e.sourceAgency(), e.channel(), e.bodyDigest(), payload});
            if (e.publish()) {
                outbox.add(new Object[]{event.eventId(), e.receivedAt(), event.eventType().wireName(),
                    event.subjectNik(), payload, e.traceParent(), e.citizenVersion()});
            }
        }
        update(INSERT_EVENT, events);
        update(INSERT_OUTBOX, outbox);
    }

    /** One row alone as a plain statement (no batch to set up), several as one JDBC batch. */
    private void update(String sql, List<Object[]> rows) {
        if (rows.size() == 1) {
            batch.update(sql, rows.get(0));
        } else if (!rows.isEmpty()) {
            batch.batchUpdate(sql, rows);
        }
    }

    /** Events applied but not yet handed to the broker. */
    public long outboxBacklog() {
        return jdbc.sql("SELECT COUNT(*) FROM outbox").query(Long.class).single();
    }
}
