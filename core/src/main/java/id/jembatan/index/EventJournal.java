package id.jembatan.index;

import id.jembatan.connector.TraceContext;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The history of applied events and the outbox: each applied event is recorded once (its id is the idempotency
 * key of ingest) together with the outbox row the relay publishes from.
 */
@Repository
public class EventJournal {

    private final JdbcClient jdbc;

    public EventJournal(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The body digest recorded for an event id, if that event was applied. */
    public Optional<String> digestOf(UUID eventId) {
        return jdbc.sql("SELECT body_sha256 FROM citizen_event WHERE event_id = ?")
                .param(eventId)
                .query(String.class)
                .optional();
    }

    /** Records an applied event and queues it for publication, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(CitizenEvent event, String bodyDigest, String sourceAgency, String channel,
                       OffsetDateTime receivedAt) {
        record(event, bodyDigest, sourceAgency, channel, receivedAt, true);
    }

    /**
     * Records an accepted event, in the caller's transaction, and queues it for publication if {@code publish}: an
     * event the index superseded (an older move) is kept in the journal, so that a repeat is a duplicate and the
     * history is whole, but the agencies are not told of it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(CitizenEvent event, String bodyDigest, String sourceAgency, String channel,
                       OffsetDateTime receivedAt, boolean publish) {
        String payload = CanonicalJson.write(event);
        jdbc.sql("""
                        INSERT INTO citizen_event (event_id, nik, event_type, occurred_at, received_at, source_agency,
                                                   channel, body_sha256, payload)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(event.eventId(), event.subjectNik(), event.eventType().wireName(), event.occurredAt(),
                        receivedAt, sourceAgency, channel, bodyDigest, payload)
                .update();
        if (!publish) {
            return;
        }
        // The relay publishes from the outbox row alone (V5 migration: a join to citizen_event grew with its size),
        // in the trace of this apply (V8), with the record's version after it (V11: a delivery compares it with the
        // version of a snapshot the agency already has; the row is locked by the apply, so it is this event's).
        jdbc.sql("""
                        INSERT INTO outbox (event_id, created_at, event_type, nik, payload, trace_parent,
                                            citizen_version)
                        VALUES (?, ?, ?, ?, ?, ?, (SELECT version FROM citizen WHERE nik = ?))""")
                .params(event.eventId(), receivedAt, event.eventType().wireName(), event.subjectNik(), payload,
                        TraceContext.traceParent(), event.subjectNik())
                .update();
    }

    /** Events applied but not yet handed to the broker. */
    public long outboxBacklog() {
        return jdbc.sql("SELECT COUNT(*) FROM outbox").query(Long.class).single();
    }
}
