package id.jembatan.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Each agency's queues as gauges, read from the broker when metrics are scraped: {@code jembatan.delivery.backlog}
 * (events waiting in its queue) and {@code jembatan.delivery.dead-letters} (events in its dead-letter queue), tag
 * {@code agency}. The counters of what happened to deliveries are in {@link DeliveryMetrics}.
 */
@Component
public class AgencyQueueMetrics implements MeterBinder {

    private final AgencyOperations operations;

    public AgencyQueueMetrics(AgencyOperations operations) {
        this.operations = operations;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String agency : operations.agencies()) {
            Gauge.builder("jembatan.delivery.backlog", operations, o -> o.backlog(agency))
                    .description("Events waiting in the agency's queue, including those being delivered")
                    .tag("agency", agency)
                    .register(registry);
            Gauge.builder("jembatan.delivery.dead-letters", operations, o -> o.deadLetters(agency))
                    .description("Events in the agency's dead-letter queue")
                    .tag("agency", agency)
                    .register(registry);
        }
    }
}
