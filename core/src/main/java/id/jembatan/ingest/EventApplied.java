package id.jembatan.ingest;

import java.util.UUID;

/**
 * Published inside the ingest transaction; listeners that act after commit (the outbox relay) wake on it.
 *
 * @param eventId the last event of the group that was applied
 * @param channel how the group came in: after a commit on the inbound queue's consumer ({@link Channel#JMS}) the
 *                relay may publish on that thread, which then commits its broker transaction; an HTTP group
 *                commit's callers wait for their answers, so its thread only wakes the relay
 */
public record EventApplied(UUID eventId, Channel channel) {
}
