package id.jembatan.quota;

import id.jembatan.quota.RateLimitedException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An agency used up one of its quotas: {@code RATE_LIMITED} with the time until the quota admits a request again,
 * and the quota itself ({@link #quota()}), which the answer names so that the agency knows whether to slow down (per
 * second) or to stop until tomorrow (per day).
 */
public class QuotaExceededException extends RateLimitedException {

    private final String agency;
    private final String purpose;
    private final QuotaOperation operation;
    private final QuotaWindow window;
    private final long limit;

    public QuotaExceededException(String agency, String purpose, QuotaOperation operation, QuotaWindow window,
                                  long limit, Duration retryAfter) {
        super("agency '" + agency + "' may make at most " + limit + " " + operation.wireName() + " requests "
                + (window == QuotaWindow.SECOND ? "per second" : "per day") + " for purpose " + purpose
                + "; retry after the time given in Retry-After", retryAfter);
        this.agency = agency;
        this.purpose = purpose;
        this.operation = operation;
        this.window = window;
        this.limit = limit;
    }

    public QuotaOperation operation() {
        return operation;
    }

    public QuotaWindow window() {
        return window;
    }

    public long limit() {
        return limit;
    }

    /**
     * The exhausted quota as the problem's {@code quota} member (OpenAPI {@code Quota}): agency, purpose,
     * operation, window ({@code per-second} or {@code per-day}) and limit.
     */
    public Map<String, Object> quota() {
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("agency", agency);
        quota.put("purpose", purpose);
        quota.put("operation", operation.wireName());
        quota.put("window", window.wireName());
        quota.put("limit", limit);
        return quota;
    }
}
