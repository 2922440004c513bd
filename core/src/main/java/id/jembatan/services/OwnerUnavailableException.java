package id.jembatan.services;

import id.jembatan.bus.RetryLaterException;
import id.jembatan.schema.error.ErrorCode;

import java.time.Duration;

/**
 * An owner service could not answer now ({@code OWNER_UNAVAILABLE}: unreachable, failing or its circuit open;
 * {@code OWNER_TIMEOUT}: no answer in time); {@link #retryAfter()} says when to ask again. The bus did not ask
 * again by itself.
 */
public class OwnerUnavailableException extends RetryLaterException {

    public OwnerUnavailableException(ErrorCode code, String detail, Duration retryAfter) {
        super(code, detail, retryAfter);
    }
}
