package id.jembatan.quota;

import java.util.Locale;

/** The two budgets of a quota; a refusal names the one that is used up. */
public enum QuotaWindow {
    SECOND,
    DAY;

    /** As the problem detail and the metrics write it: {@code per-second}, {@code per-day}. */
    public String wireName() {
        return "per-" + name().toLowerCase(Locale.ROOT);
    }
}
