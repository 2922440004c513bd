package id.jembatan.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingest outcomes as Micrometer counters ({@code jembatan.ingest.events}, tags {@code outcome} = accepted,
 * duplicate or rejected, and {@code code} for rejections), read by Prometheus and the Ingest MBean.
 */
@Component
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> rejectedByCode = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted() {
        counter("accepted", "").increment();
    }

    public void duplicate() {
        counter("duplicate", "").increment();
    }

    public void rejected(String code) {
        rejectedByCode.computeIfAbsent(code, c -> counter("rejected", c)).increment();
    }

    public long acceptedCount() {
        return (long) counter("accepted", "").count();
    }

    public long duplicateCount() {
        return (long) counter("duplicate", "").count();
    }

    /** Rejections so far, by error code. */
    public Map<String, Long> rejectedCounts() {
        Map<String, Long> counts = new TreeMap<>();
        rejectedByCode.forEach((code, counter) -> counts.put(code, (long) counter.count()));
        return counts;
    }

    private Counter counter(String outcome, String code) {
        return Counter.builder("jembatan.ingest.events").tag("outcome", outcome).tag("code", code)
                .register(registry);
    }
}
