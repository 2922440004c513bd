package id.jembatan.operations.jmx;

import java.util.Map;

/** {@code id.jembatan:type=Ingest}: what the owner agency sent and what became of it. */
public interface IngestMXBean {

    long getAccepted();

    long getDuplicates();

    /** Refused events since the bus started, by error code. */
    Map<String, Long> getRejectedByCode();

    /** Messages waiting in the owner agency's inbound queue ({@code civilregistry.events.in}). */
    long getBacklog();

    /** Refused inbound messages in the owner agency's dead-letter queue ({@code dlq.civil-registry}). */
    long getDeadLetters();

    /** Whether an operator paused consuming the inbound queue (messages keep queueing; HTTP ingest goes on). */
    boolean isPaused();

    /** Stops consuming the inbound queue once the batch in hand is done; nothing is lost. */
    void pause() throws Exception;

    void resume() throws Exception;
}
