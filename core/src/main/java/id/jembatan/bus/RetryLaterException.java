package id.jembatan.bus;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;

import java.time.Duration;

/**
 * A refusal for now that says when to come back (a used-up budget, an owner service that cannot answer): the HTTP
 * answer and the FHIR one carry {@link #retryAfterSeconds()} as {@code Retry-After}.
 */
public abstract class RetryLaterException extends JembatanException {

    private final Duration retryAfter;

    protected RetryLaterException(ErrorCode code, String detail, Duration retryAfter) {
        super(code, detail);
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
