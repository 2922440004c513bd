package id.jembatan.verification;

import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.settings.JembatanProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * The per-agency budget of identity verification requests, so that the endpoint cannot be used to enumerate NIKs:
 * at most {@code jembatan.verification.rate-limit.requests} per {@code jembatan.verification.rate-limit.period} for
 * each agency, on Resilience4j's RateLimiter (the budget refreshes at the start of each period; a request over it
 * is refused at once, never queued).
 */
@Component
@DependsOn("configurationCheck")
public class VerificationRateLimits {

    private static final Logger log = LoggerFactory.getLogger(VerificationRateLimits.class);

    private final RateLimiterRegistry limiters;
    private final Duration period;
    private final int requests;

    public VerificationRateLimits(JembatanProperties properties) {
        InvalidConfigurationException.throwIfAny(problems(properties));
        JembatanProperties.RateLimit settings = properties.getVerification().getRateLimit();
        this.period = settings.getPeriod();
        this.requests = settings.getRequests();
        // One limiter per agency id, made on first use; only authenticated agencies get here, so they are few.
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(requests)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** What is wrong with the verification budget's settings, each problem naming its key. */
    public static List<String> problems(JembatanProperties properties) {
        Duration period = properties.getVerification().getRateLimit().getPeriod();
        return period != null && (period.isNegative() || period.isZero())
                ? List.of("jembatan.verification.rate-limit.period must be longer than zero")
                : List.of();
    }

    /**
     * Takes one request from the agency's budget for the current period.
     *
     * @throws RateLimitedException when the budget is used up, with the time until it refreshes
     */
    public void acquire(String agencyId) {
        RateLimiter limiter = limiters.rateLimiter(agencyId);
        if (limiter.acquirePermission()) {
            return;
        }
        Duration retryAfter = untilNextPermit(limiter);
        // Debug only: a warning per refused request would flood the log during the very attack this guards against.
        log.debug("Verification budget of agency {} used up; next request in {}", agencyId, retryAfter);
        throw new RateLimitedException("agency '" + agencyId + "' may verify at most " + requests
                + " identities every " + readable(period) + "; retry after the time given in Retry-After", retryAfter);
    }

    /** "1 s" or "250 ms" rather than ISO-8601's "PT1S", for the problem detail an integrator reads. */
    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** Resilience4j's default limiter knows when its next permit comes; any other is assumed a full period away. */
    private Duration untilNextPermit(RateLimiter limiter) {
        if (limiter instanceof AtomicRateLimiter atomic) {
            long nanos = atomic.getDetailedMetrics().getNanosToWait();
            if (nanos > 0) {
                return Duration.ofNanos(Math.min(nanos, period.toNanos()));
            }
        }
        return period;
    }
}
