package id.jembatan.verification;

import id.jembatan.settings.JembatanProperties;
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

    public VerificationRateLimits(JembatanProperties properties) {
        super("jembatan.verification.rate-limit", "verify at most %d identities",
                properties.getVerification().getRateLimit());
    }
}
