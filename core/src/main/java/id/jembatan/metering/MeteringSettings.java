package id.jembatan.metering;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Metering ({@code jembatan.metering.*}).
 *
 * @param refresh how often the metric {@code jembatan.usage.today} is counted again from the audit chain
 */
@ConfigurationProperties(prefix = "jembatan.metering")
public record MeteringSettings(@NotNull @DurationMin(seconds = 1, message = "must be at least 1s")
                               @DefaultValue("1m") Duration refresh) {
}
