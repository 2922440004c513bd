package id.jembatan.verification;

import jakarta.validation.Valid;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity verification ({@code POST /api/v1/citizens/verify}, {@code jembatan.verification.*}).
 *
 * @param rateLimit each agency's budget of verifications
 */
@ConfigurationProperties(prefix = "jembatan.verification")
public record VerificationSettings(@Valid @DefaultValue RateLimitSettings rateLimit) {
}
