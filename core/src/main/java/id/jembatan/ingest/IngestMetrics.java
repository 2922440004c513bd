package id.jembatan.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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

    /** One transaction of the inbound queue's consumers took {@code messages} messages. */
    public void batch(int messages) {
        DistributionSummary.builder("jembatan.ingest.batch.size")
                .description("Messages of the inbound queue applied in one database transaction and broker commit")
                .register(registry).record(messages);
    }

    /** Inbound queue transactions so far, and the messages they took. */
    public long[] batches() {
        DistributionSummary summary = registry.find("jembatan.ingest.batch.size").summary();
        return summary == null ? new long[]{0, 0} : new long[]{summary.count(), (long) summary.totalAmount()};
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
