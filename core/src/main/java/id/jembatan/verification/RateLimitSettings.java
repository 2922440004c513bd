package id.jembatan.verification;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * One per-agency budget ({@code <feature>.rate-limit.*}): at most {@code requests} per {@code period} for each
 * agency, enough for an agency's real work, too few to enumerate NIKs by trying.
 *
 * @param requests requests an agency may make in one period
 * @param period   the length of a period
 */
public record RateLimitSettings(@Min(1) @DefaultValue("20") int requests,
                                @NotNull @DurationMin(inclusive = false, message = "must be longer than zero")
                                @DefaultValue("1s") Duration period) {
}
