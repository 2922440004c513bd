package id.jembatan.quota;

import id.jembatan.bus.RetryLaterException;
import id.jembatan.schema.error.ErrorCode;

import java.time.Duration;

/** An agency used up its request budget for the current period; {@link #retryAfter()} says when it refreshes. */
public class RateLimitedException extends RetryLaterException {

    public RateLimitedException(String detail, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, detail, retryAfter);
    }
}
