package id.jembatan.config;

import id.jembatan.agency.AgencySuspensions;
import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.operations.IngestSwitch;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Actuator health with one indicator per agency connector ({@code /actuator/health/agencies/<id>}): UP, SUSPENDED
 * (an operator suspended the agency), PAUSED (an operator paused delivery), or DOWN with the reason when the last attempt failed after the last success; and
 * one for the owner agency's inbound queue ({@code /actuator/health/ingest}): UP, or PAUSED while an operator has
 * paused its consumer, with what waits in the queue and its dead-letter queue.
 * The {@code bus} health group leaves both out: an agency that is down does not make the bus unhealthy, its events
 * wait in its queue, and a paused inbound queue is an operator's decision.
 */
@Configuration(proxyBeanMethods = false)
public class AgencyHealthConfiguration {

    /** Delivery to an agency, or consuming the inbound queue, paused by an operator. */
    public static final Status PAUSED = new Status("PAUSED", "paused by an operator");
    /** An agency an operator suspended: everything it presents is refused, its delivery is held. */
    public static final Status SUSPENDED = new Status("SUSPENDED", "suspended by an operator");

    @Bean
    HealthContributor agencies(AgencyOperations operations, DeliveryMetrics metrics, AgencySuspensions suspensions) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (String agency : operations.agencies()) {
            indicators.put(agency, () -> health(agency, operations, metrics, suspensions));
        }
        return CompositeHealthContributor.fromMap(indicators);
    }

    @Bean
    HealthIndicator ingest(IngestSwitch consumer, AgencyOperations operations) {
        return () -> (consumer.isPaused() ? Health.status(PAUSED) : Health.up())
                .withDetail("backlog", operations.inboundBacklog())
                .withDetail("deadLetters", operations.inboundDeadLetters())
                .build();
    }

    private static Health health(String agency, AgencyOperations operations, DeliveryMetrics metrics,
                                 AgencySuspensions suspensions) {
        Health.Builder health;
        DeliveryMetrics.LastError error = metrics.lastError(agency);
        Instant delivered = metrics.lastDelivered(agency);
        if (suspensions.suspended(agency)) {
            health = Health.status(SUSPENDED);
        } else if (operations.paused(agency)) {
            health = Health.status(PAUSED);
        } else if (error != null && (delivered == null || error.at().isAfter(delivered))) {
            health = Health.down().withDetail("reason", error.code() + ": " + error.message())
                    .withDetail("since", error.at().toString());
        } else {
            health = Health.up();
        }
        return health.withDetail("backlog", operations.backlog(agency))
                .withDetail("deadLetters", operations.deadLetters(agency))
                .build();
    }
}
