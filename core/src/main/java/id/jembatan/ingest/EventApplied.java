package id.jembatan.ingest;

import java.util.UUID;

/** Published inside the ingest transaction; listeners that act after commit (the outbox relay) wake on it. */
public record EventApplied(UUID eventId) {
}
