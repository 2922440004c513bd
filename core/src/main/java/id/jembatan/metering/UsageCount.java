package id.jembatan.metering;

import java.time.LocalDate;

/**
 * How many audit entries one agency caused on one day (or in one month: {@code day} is then the month's first) for
 * one purpose, operation, channel and outcome.
 *
 * @param operation the audit action ({@code LOOKUP}, {@code VERIFICATION}, {@code NOTIFICATION},
 *                  {@code EVENT_DELIVERED}, ...)
 * @param purpose   the declared or the operation's own purpose; empty where the entry has none
 */
public record UsageCount(LocalDate day, String agency, String purpose, String operation, String channel,
                         String outcome, long count) {
}
