package id.jembatan.api;

import java.util.UUID;

/** The answer to {@code POST /api/v1/events}: the event id and {@code ACCEPTED} or {@code DUPLICATE}. */
public record IngestResponse(UUID eventId, String status) {
}
