package id.jembatan.statistics;

import java.time.Instant;
import java.util.List;

/**
 * One answer of the open statistics: a region's counts by month, by part of the region, by sex or by age band, and
 * its total, each count either published or withheld ({@code count} null, {@code suppressed} true).
 *
 * @param measure      {@code events} or {@code population}
 * @param type         the event type counted ({@code BirthRegistered}, ...), null for the population
 * @param region       the region code, empty for the whole country
 * @param regionName   the region's official name ({@code Indonesia} for the whole country)
 * @param groupBy      {@code month}, {@code region}, {@code sex} or {@code ageBand}
 * @param from         the first month counted ({@code 2026-01}), null for the population
 * @param to           the last month counted, null for the population
 * @param minimumCount {@code k}: counts from 1 to {@code k - 1} are withheld
 * @param computedAt   when the oldest figure of the answer was computed
 * @param cells        one per month, part of the region or category, in order
 * @param total        the region's total over the whole answer
 */
public record StatisticsTable(String measure, String type, String region, String regionName, String groupBy,
                              String from, String to, int minimumCount, Instant computedAt, List<Cell> cells,
                              Cell total) {

    /**
     * One figure.
     *
     * @param key        the month ({@code 2026-03}), region code, sex or age band ({@code 25-29}); {@code TOTAL} for
     *                   the total
     * @param name       the region's official name for a region, else null
     * @param count      the count, null when withheld
     * @param suppressed whether the count is withheld (below {@code k}, or withheld so that another cannot be
     *                   worked out)
     */
    public record Cell(String key, String name, Long count, boolean suppressed) {

        static Cell of(String key, String name, Figure figure) {
            return new Cell(key, name, figure.published(), figure.suppressed());
        }
    }
}
