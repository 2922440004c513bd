package id.jembatan.ingest;

import java.util.UUID;

/**
 * Published inside the ingest transaction; listeners that act after commit (the outbox relay) wake on it.
 *
 * @param eventId the last event of the group that was applied
 * @param channel how the group came in: the inbound queue's consumer ({@link Channel#JMS}) has the relay publish the
 *                events in its own broker transaction, so the relay is not woken; an HTTP group commit's callers
 *                wait for their answers, so the relay's thread publishes them
 */
public record EventApplied(UUID eventId, Channel channel) {
}
