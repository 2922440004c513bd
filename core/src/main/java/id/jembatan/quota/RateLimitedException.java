package id.jembatan.quota;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;

import java.time.Duration;

/** An agency used up its request budget for the current period; {@link #retryAfter()} says when it refreshes. */
public class RateLimitedException extends JembatanException {

    private final Duration retryAfter;

    public RateLimitedException(String detail, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter()} as an HTTP {@code Retry-After} value: whole seconds, rounded up, at least 1. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
