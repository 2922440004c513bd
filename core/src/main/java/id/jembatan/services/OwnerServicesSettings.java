package id.jembatan.services;

import id.jembatan.connector.HttpUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The owner services as configured ({@code jembatan.services.<owner>.<service>}): the services each agency answers
 * for the others through the bus ({@code POST /api/v1/services/{owner}/{service}}). Who may call which, for which
 * purpose, is the access policy's ({@code jembatan.access-policy.agencies.<caller>.services}).
 *
 * @param services owner agency id to service name to its settings
 */
@ConfigurationProperties(prefix = "jembatan")
public record OwnerServicesSettings(Map<String, Map<String, @Valid Offered>> services) {

    public OwnerServicesSettings {
        Map<String, Map<String, Offered>> copy = new LinkedHashMap<>();
        if (services != null) {
            services.forEach((owner, offered) -> copy.put(owner, offered == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(offered))));
        }
        services = Collections.unmodifiableMap(copy);
    }

    /**
     * One service an owner answers.
     *
     * @param protocol       how the bus asks it: the type of an {@code OwnerServiceProtocol} ({@code tax-taxpayer-status}:
     *                       taxpayer.xsd status documents over HTTP); the request and response translation is the
     *                       protocol's
     * @param url            the owner's endpoint, e.g. {@code https://djp.example.go.id/jembatan/taxpayer-status}
     * @param timeout        how long the bus waits for the owner's answer; then the caller gets {@code 504
     *                       OWNER_TIMEOUT}
     * @param description    one line for the service catalogue ({@code GET /api/v1/services})
     * @param retryAfter     the {@code Retry-After} a caller is given when the owner could not be reached or did not
     *                       answer in time (and the circuit is still closed)
     * @param circuitBreaker when the bus stops asking an owner that keeps failing
     */
    public record Offered(@NotBlank String protocol,
                          @NotBlank(message = "is required for an owner service") @HttpUrl String url,
                          @NotNull @DefaultValue("5s") Duration timeout,
                          @DefaultValue("") String description,
                          @NotNull @DefaultValue("5s") Duration retryAfter,
                          @Valid @DefaultValue CircuitBreaker circuitBreaker) {
    }

    /**
     * The circuit breaker of one service (Resilience4j): once at least {@code minimumCalls} of the last
     * {@code slidingWindowSize} questions were asked and {@code failureRateThreshold} percent of them failed (owner
     * unreachable, 5xx, timeout), the bus answers {@code 503 OWNER_UNAVAILABLE} at once for {@code openFor}, then lets
     * a few questions through to see whether the owner is back.
     */
    public record CircuitBreaker(@Min(1) @Max(100) @DefaultValue("50") int failureRateThreshold,
                                 @Min(1) @DefaultValue("10") int slidingWindowSize,
                                 @Min(1) @DefaultValue("5") int minimumCalls,
                                 @NotNull @DefaultValue("30s") Duration openFor,
                                 @Min(1) @DefaultValue("2") int callsWhenHalfOpen) {
    }
}
