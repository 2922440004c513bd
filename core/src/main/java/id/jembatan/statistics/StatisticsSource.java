package id.jembatan.statistics;

import id.jembatan.schema.model.EventType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts from the master index and the event journal, by regency (the citizen's current address) and category;
 * aggregates only, nothing about a person leaves the database.
 */
@Component
public class StatisticsSource {

    private final JdbcClient jdbc;

    public StatisticsSource(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Events of a type in each month of a year (months as {@code zone} counts them), by the regency the citizen lives
     * in: one count per month.
     */
    public Map<String, long[]> eventsByMonth(EventType type, int year, ZoneId zone) {
        Map<String, long[]> counts = new HashMap<>();
        for (int month = 1; month <= 12; month++) {
            YearMonth period = YearMonth.of(year, month);
            int column = month - 1;
            jdbc.sql("""
                            SELECT c.regency_code, COUNT(*) FROM citizen_event e JOIN citizen c ON c.nik = e.nik
                            WHERE e.event_type = ? AND e.occurred_at >= ? AND e.occurred_at < ?
                            GROUP BY c.regency_code""")
                    .params(type.wireName(), start(period, zone), start(period.plusMonths(1), zone))
                    .query((rs, n) -> counts.computeIfAbsent(rs.getString(1), r -> new long[12])[column] =
                            rs.getLong(2))
                    .list();
        }
        return counts;
    }

    /** The living citizens by the regency they live in and the dimension's category, ages as of {@code today}. */
    public Map<String, long[]> population(PopulationDimension dimension, LocalDate today) {
        int width = dimension.categories().size();
        Map<String, long[]> counts = new HashMap<>();
        if (dimension == PopulationDimension.SEX) {
            List<String> sexes = dimension.categories();
            jdbc.sql("SELECT regency_code, sex, COUNT(*) FROM citizen WHERE date_of_death IS NULL GROUP BY 1, 2")
                    .query((rs, n) -> {
                        int column = sexes.indexOf(rs.getString(2));
                        if (column >= 0) {
                            counts.computeIfAbsent(rs.getString(1), r -> new long[width])[column] += rs.getLong(3);
                        }
                        return column;
                    })
                    .list();
            return counts;
        }
        // Band b holds ages 5b to 5b+4: born after today minus 5(b+1) years; the last band takes the rest.
        StringBuilder band = new StringBuilder("CASE");
        List<Object> bounds = new ArrayList<>();
        for (int b = 0; b < PopulationDimension.CLOSED_BANDS; b++) {
            band.append(" WHEN birth_date > ? THEN ").append(b);
            bounds.add(today.minusYears((long) PopulationDimension.BAND_YEARS * (b + 1)));
        }
        band.append(" ELSE ").append(PopulationDimension.CLOSED_BANDS).append(" END");
        jdbc.sql("SELECT regency_code, " + band + ", COUNT(*) FROM citizen WHERE date_of_death IS NULL GROUP BY 1, 2")
                .params(bounds)
                .query((rs, n) -> counts.computeIfAbsent(rs.getString(1), r -> new long[width])[rs.getInt(2)] +=
                        rs.getLong(3))
                .list();
        return counts;
    }

    private static OffsetDateTime start(YearMonth month, ZoneId zone) {
        return month.atDay(1).atStartOfDay(zone).toOffsetDateTime();
    }
}
