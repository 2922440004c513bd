package id.jembatan.lookup;

import id.jembatan.verification.AgencyRateLimit;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * The per-agency budget of lookups (REST and FHIR together): at most {@code jembatan.lookup.rate-limit.requests} per
 * {@code jembatan.lookup.rate-limit.period} for each agency, so that no agency can read the index wholesale or
 * flood a citizen's access log with entries.
 */
@Component
@DependsOn("configurationCheck")
public class LookupRateLimits extends AgencyRateLimit {

    public LookupRateLimits(LookupSettings settings) {
        super("look up at most %d citizens", settings.rateLimit());
    }
}
