package id.jembatan.audit;

import java.time.Instant;
import java.util.List;

/**
 * One line of a citizen's access log: when which agency got, read or reported which of their fields, why, how, and
 * with what outcome (a refused lookup is {@code DENIED} with no fields, not a read).
 */
public record AccessLogEntry(Instant at, String agency, String purpose, List<String> fields, String channel,
                             String outcome) {

    public AccessLogEntry {
        fields = List.copyOf(fields);
    }
}
