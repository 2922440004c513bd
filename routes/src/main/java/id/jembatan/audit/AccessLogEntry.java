package id.jembatan.audit;

import java.time.Instant;
import java.util.List;

/** One line of a citizen's access log: when which agency got or read which of their fields, why, and how. */
public record AccessLogEntry(Instant at, String agency, String purpose, List<String> fields, String channel) {

    public AccessLogEntry {
        fields = List.copyOf(fields);
    }
}
