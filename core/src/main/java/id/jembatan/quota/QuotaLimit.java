package id.jembatan.quota;

import jakarta.validation.constraints.Min;

/**
 * The two budgets of one quota: requests per second (a second counted from the quota's first use, whole seconds
 * after it) and per day (a calendar day in {@code jembatan.quotas.zone}, from midnight to midnight).
 *
 * @param perSecond requests one agency may make for one purpose in one second
 * @param perDay    requests one agency may make for one purpose in one day
 */
public record QuotaLimit(@Min(1) long perSecond, @Min(1) long perDay) {
}
