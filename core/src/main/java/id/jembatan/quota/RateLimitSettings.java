package id.jembatan.quota;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * A budget of requests for everyone together: at most {@code requests} per {@code period} (the open statistics'
 * computations, {@code jembatan.statistics.computations}). Agencies' requests have quotas instead
 * ({@code jembatan.quotas}, core {@code quota.Quotas}).
 *
 * @param requests requests an agency may make in one period
 * @param period   the length of a period
 */
public record RateLimitSettings(@Min(1) @DefaultValue("20") int requests,
                                @NotNull @DurationMin(inclusive = false, message = "must be longer than zero")
                                @DefaultValue("1s") Duration period) {
}
