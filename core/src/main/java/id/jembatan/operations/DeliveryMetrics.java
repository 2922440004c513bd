package id.jembatan.operations;

import id.jembatan.schema.error.JembatanException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-agency delivery figures: delivered, failed attempts, dead-lettered, the last error, and the delivery latency
 * from publication to the agency's acknowledgement. Kept as Micrometer meters ({@code jembatan.delivery.*}, tag
 * {@code agency}), so Prometheus and the JMX MBeans read the same numbers.
 */
@Component
public class DeliveryMetrics {

    /** The last failure of an agency's delivery, for operators. */
    public record LastError(String code, String message, Instant at) {
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, LastError> lastErrors = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastDelivered = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** An event reached the agency; {@code publishedAt} is the broker timestamp of its publication (ms). */
    public void delivered(String agency, long publishedAt) {
        counter("jembatan.delivery.delivered", agency).increment();
        lastDelivered.put(agency, clock.instant());
        if (publishedAt > 0) {
            Timer.builder("jembatan.delivery.latency")
                    .description("From publication on citizen.events to the agency's acknowledgement")
                    .tag("agency", agency)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(Duration.ofMillis(Math.max(0, clock.millis() - publishedAt)));
        }
    }

    /** An attempt failed (it may be retried). */
    public void failed(String agency, Throwable cause) {
        counter("jembatan.delivery.failed", agency).increment();
        String code = cause instanceof JembatanException j ? j.code().name() : cause.getClass().getSimpleName();
        lastErrors.put(agency, new LastError(code, String.valueOf(cause.getMessage()), clock.instant()));
    }

    /** An event was given up on and put in the agency's dead-letter queue. */
    public void deadLettered(String agency) {
        counter("jembatan.delivery.dead-lettered", agency).increment();
    }

    public long deliveredCount(String agency) {
        return (long) counter("jembatan.delivery.delivered", agency).count();
    }

    public long failedCount(String agency) {
        return (long) counter("jembatan.delivery.failed", agency).count();
    }

    /** When the agency last acknowledged an event, or null. */
    public Instant lastDelivered(String agency) {
        return lastDelivered.get(agency);
    }

    public LastError lastError(String agency) {
        return lastErrors.get(agency);
    }

    private Counter counter(String name, String agency) {
        return Counter.builder(name).tag("agency", agency).register(registry);
    }
}
