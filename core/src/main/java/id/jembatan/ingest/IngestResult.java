package id.jembatan.ingest;

import java.util.UUID;

/** What ingest did with an event: applied it now, or recognised it as one applied before. */
public record IngestResult(UUID eventId, Status status) {

    public enum Status {
        ACCEPTED,
        DUPLICATE
    }
}
