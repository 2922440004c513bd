package id.jembatan.operations.jmx;

import java.util.Map;

/** {@code id.jembatan:type=Ingest}: what the owner agency sent and what became of it. */
public interface IngestMXBean {

    long getAccepted();

    long getDuplicates();

    /** Refused events since the bus started, by error code. */
    Map<String, Long> getRejectedByCode();
}
