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

    /**
     * The living citizens by the regency they live in, sex and age band (ages as of {@code today}), in one reading
     * so that every count of the population comes from the same moment: per regency {@code [sex * bands + band]},
     * sexes and bands in the order of {@link PopulationDimension#categories()}.
     */
    public Map<String, long[]> population(LocalDate today) {
        List<String> sexes = PopulationDimension.SEX.categories();
        int bands = PopulationDimension.AGE_BAND.categories().size();
        // Band b holds ages 5b to 5b+4: born after today minus 5(b+1) years; the last band takes the rest.
        StringBuilder band = new StringBuilder("CASE");
        List<Object> bounds = new ArrayList<>();
        for (int b = 0; b < PopulationDimension.CLOSED_BANDS; b++) {
            band.append(" WHEN birth_date > ? THEN ").append(b);
            bounds.add(today.minusYears((long) PopulationDimension.BAND_YEARS * (b + 1)));
        }
        band.append(" ELSE ").append(PopulationDimension.CLOSED_BANDS).append(" END");
        Map<String, long[]> counts = new HashMap<>();
        jdbc.sql("SELECT regency_code, sex, " + band + ", COUNT(*) FROM citizen WHERE date_of_death IS NULL "
                        + "GROUP BY 1, 2, 3")
                .params(bounds)
                .query((rs, n) -> {
                    int sex = sexes.indexOf(rs.getString(2));
                    if (sex >= 0) {
                        counts.computeIfAbsent(rs.getString(1), r -> new long[sexes.size() * bands])
                                [sex * bands + rs.getInt(3)] += rs.getLong(4);
                    }
                    return sex;
                })
                .list();
        return counts;
    }

    private static OffsetDateTime start(YearMonth month, ZoneId zone) {
        return month.atDay(1).atStartOfDay(zone).toOffsetDateTime();
    }
}
