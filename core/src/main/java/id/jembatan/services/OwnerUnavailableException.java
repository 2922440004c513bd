package id.jembatan.services;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;

import java.time.Duration;

/**
 * An owner service could not answer now ({@code OWNER_UNAVAILABLE}: unreachable, failing or its circuit open;
 * {@code OWNER_TIMEOUT}: no answer in time); {@link #retryAfter()} says when to ask again. The bus did not ask
 * again by itself.
 */
public class OwnerUnavailableException extends JembatanException {

    private final Duration retryAfter;

    public OwnerUnavailableException(ErrorCode code, String detail, Duration retryAfter) {
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
