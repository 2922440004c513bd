package id.jembatan.verification;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.settings.SettingsProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class VerificationRateLimitsTest {

    private static VerificationRateLimits limits(int requests, Duration period) {
        return new VerificationRateLimits(new VerificationSettings(new RateLimitSettings(requests, period)));
    }

    @Test
    void anAgencyOverItsBudgetIsRefusedWithTheTimeUntilTheNextPeriod() {
        VerificationRateLimits limits = limits(3, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            limits.acquire("tax");
        }

        RateLimitedException refused = catchThrowableOfType(() -> limits.acquire("tax"), RateLimitedException.class);

        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 60L);
        assertThat(refused.getMessage()).startsWith("agency 'tax' may verify at most 3 identities every 60 s");
    }

    @Test
    void eachAgencyHasItsOwnBudget() {
        VerificationRateLimits limits = limits(1, Duration.ofMinutes(1));
        limits.acquire("tax");

        assertThatThrownBy(() -> limits.acquire("tax")).isInstanceOf(RateLimitedException.class);
        assertThatCode(() -> limits.acquire("health")).doesNotThrowAnyException();
    }

    @Test
    void retryAfterIsRoundedUpToWholeSecondsAndNeverZero() {
        assertThat(new RateLimitedException("", Duration.ofMillis(1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(new RateLimitedException("", Duration.ofMillis(1500)).retryAfterSeconds()).isEqualTo(2);
        assertThat(new RateLimitedException("", Duration.ofSeconds(3)).retryAfterSeconds()).isEqualTo(3);
        assertThat(new RateLimitedException("", Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    }

    /** A budget that is no budget. Result: a start-up problem naming the setting, with what it must be. */
    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "-PT1S"})
    void aPeriodOfZeroOrLessIsAConfigurationError(String period) {
        assertThat(SettingsProblems.of("jembatan.verification",
                new VerificationSettings(new RateLimitSettings(5, Duration.parse(period)))))
                .containsExactly("jembatan.verification.rate-limit.period must be longer than zero");
    }

    @Test
    void noRequestsIsAConfigurationError() {
        assertThat(SettingsProblems.of("jembatan.verification",
                new VerificationSettings(new RateLimitSettings(0, Duration.ofSeconds(1)))))
                .containsExactly("jembatan.verification.rate-limit.requests must be greater than or equal to 1");
    }
}
