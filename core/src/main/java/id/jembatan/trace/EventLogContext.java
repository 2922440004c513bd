package id.jembatan.trace;

import org.slf4j.MDC;

import java.util.UUID;

/**
 * The event and the agency a thread works for, in the logging context (MDC) beside the trace and span ids that
 * Spring Boot's tracing puts there: every line logged meanwhile carries them (as fields of a structured log line,
 * {@code logging.structured.format.console}). The agency is the one that sent the event on ingest, the one it is
 * delivered to on delivery.
 */
public final class EventLogContext implements AutoCloseable {

    /** MDC key of the event id. */
    public static final String EVENT_ID = "eventId";
    /** MDC key of the agency id. */
    public static final String AGENCY = "agency";

    private final String previousEventId;
    private final String previousAgency;

    private EventLogContext(String eventId, String agency) {
        previousEventId = MDC.get(EVENT_ID);
        previousAgency = MDC.get(AGENCY);
        put(EVENT_ID, eventId);
        put(AGENCY, agency);
    }

    /** Puts the event and agency in this thread's logging context until {@link #close()}, which restores it. */
    public static EventLogContext open(UUID eventId, String agency) {
        return open(eventId == null ? null : eventId.toString(), agency);
    }

    public static EventLogContext open(String eventId, String agency) {
        return new EventLogContext(eventId, agency);
    }

    @Override
    public void close() {
        put(EVENT_ID, previousEventId);
        put(AGENCY, previousAgency);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
