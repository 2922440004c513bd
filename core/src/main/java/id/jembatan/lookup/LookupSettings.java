package id.jembatan.lookup;

import id.jembatan.verification.RateLimitSettings;
import jakarta.validation.Valid;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Lookups ({@code GET /api/v1/citizens/{nik}}, FHIR {@code Patient?identifier=}; {@code jembatan.lookup.*}).
 *
 * @param rateLimit each agency's budget of lookups, REST and FHIR counted together
 */
@ConfigurationProperties(prefix = "jembatan.lookup")
public record LookupSettings(@Valid @DefaultValue RateLimitSettings rateLimit) {
}
