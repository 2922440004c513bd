package id.jembatan.statistics;

import id.jembatan.quota.RateLimitSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.ZoneId;

/**
 * Open statistics ({@code GET /api/v1/statistics/...}, {@code jembatan.statistics.*}): counts anyone may read, with
 * small cells withheld.
 *
 * @param minimumCount {@code k}: a count from 1 to {@code k - 1} is withheld, and so are enough others that it cannot
 *                     be worked out from the totals
 * @param refresh      how old the figures may be: each release is computed from the master index and the event
 *                     journal, then served from memory for this long
 * @param zone         the time zone that decides in which month an event falls
 * @param maxMonths    the longest period one request may ask for
 * @param computations how many releases not yet in memory may be computed per period, for all callers together:
 *                     anyone may ask, and each costs the database a reading; above it the answer is 429
 *                     {@code RATE_LIMITED} with {@code Retry-After} (releases in memory are still served)
 */
@ConfigurationProperties(prefix = "jembatan.statistics")
public record StatisticsSettings(@Min(2) @DefaultValue("10") int minimumCount,
                                 @NotNull @DurationMin(seconds = 1, message = "must be at least 1s")
                                 @DefaultValue("1m") Duration refresh,
                                 @NotNull @DefaultValue("Asia/Jakarta") ZoneId zone,
                                 @Min(1) @Max(1200) @DefaultValue("120") int maxMonths,
                                 @Valid @DefaultValue RateLimitSettings computations) {
}
