package id.jembatan.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sync figures as Micrometer meters, tag {@code agency}: {@code jembatan.sync.records} by {@code outcome}
 * ({@code sent}: put on the agency's queue, {@code delivered}, {@code failed}: refused and dead-lettered,
 * {@code superseded}: a live event not delivered because the agency already had a newer snapshot,
 * {@code cancelled}: dropped because its job was cancelled), and the progress of the agency's running jobs:
 * {@code jembatan.sync.running} (jobs) and {@code jembatan.sync.remaining} (citizens not yet delivered or refused).
 */
@Component
public class SyncMetrics {

    public static final String SENT = "sent";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String SUPERSEDED = "superseded";
    public static final String CANCELLED = "cancelled";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> remaining = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String agency, String outcome, long amount) {
        if (amount > 0) {
            Counter.builder("jembatan.sync.records")
                    .description("Citizens of sync jobs, by what became of them")
                    .tag("agency", agency).tag("outcome", outcome)
                    .register(registry).increment(amount);
        }
    }

    /** The running jobs of an agency and the citizens they have left, as the runner last saw them. */
    void progress(String agency, long jobs, long left) {
        gauge(running, "jembatan.sync.running", "Sync jobs running", agency).set(jobs);
        gauge(remaining, "jembatan.sync.remaining", "Citizens of running sync jobs not yet delivered or refused",
                agency).set(left);
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String description, String agency) {
        return values.computeIfAbsent(agency, a -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tag("agency", a)
                    .register(registry);
            return value;
        });
    }
}
