package id.jembatan.verification;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * One per-agency request budget: at most {@code requests} per {@code period} for each agency, on Resilience4j's
 * RateLimiter (the budget refreshes at the start of each period; a request over it is refused at once, never
 * queued). Identity verification, lookups and notifications each have their own, so that none of them can be used
 * to enumerate NIKs or to flood the audit chain and a citizen's access log.
 */
public class AgencyRateLimit {

    private static final Logger log = LoggerFactory.getLogger(AgencyRateLimit.class);

    private final RateLimiterRegistry limiters;
    private final Duration period;
    private final int requests;
    private final String allowance;

    /**
     * @param allowance what an agency may do, with {@code %d} for the number of requests, as the problem detail says
     *                  it: {@code "verify at most %d identities"}
     * @param settings  the budget, checked at start ({@link RateLimitSettings}' constraints)
     */
    protected AgencyRateLimit(String allowance, RateLimitSettings settings) {
        this.period = settings.period();
        this.requests = settings.requests();
        this.allowance = allowance;
        // One limiter per agency id, made on first use; only authenticated agencies get here, so they are few.
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(requests)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build());
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
        log.debug("Budget of agency {} used up ({}); next request in {}", agencyId,
                allowance.formatted(requests), retryAfter);
        throw new RateLimitedException("agency '" + agencyId + "' may " + allowance.formatted(requests) + " every "
                + readable(period) + "; retry after the time given in Retry-After", retryAfter);
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
