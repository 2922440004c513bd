package id.jembatan.verification;

import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * The per-agency budget of identity verification requests, so that the endpoint cannot be used to enumerate NIKs:
 * at most {@code jembatan.verification.rate-limit.requests} per {@code jembatan.verification.rate-limit.period} for
 * each agency.
 */
@Component
@DependsOn("configurationCheck")
public class VerificationRateLimits extends AgencyRateLimit {

    public VerificationRateLimits(VerificationSettings settings) {
        super("verify at most %d identities", settings.rateLimit());
    }
}
