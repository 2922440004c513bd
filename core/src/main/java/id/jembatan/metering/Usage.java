package id.jembatan.metering;

import id.jembatan.quota.QuotaSettings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metering: what each agency used, counted from the audit chain itself, so that the counts are the chain's entries
 * and nothing else (a ministry bills from them; the chain proves them). Days are those of
 * {@code jembatan.quotas.zone}, the days of the daily quotas. Each count is one group of entries by day, agency,
 * purpose, operation (the audit action), channel and outcome: a lookup answered {@code NOT_FOUND} or refused
 * {@code DENIED} is an access too, and the counts let whoever bills decide.
 */
@Repository
public class Usage {

    private static final String COUNT = """
            SELECT CAST((at AT TIME ZONE ?) AS DATE) AS day, agency, COALESCE(purpose, '') AS purpose,
                   action, channel, outcome, COUNT(*) AS n
            FROM audit_entry
            WHERE at >= ? AND at < ? AND (CAST(? AS VARCHAR) IS NULL OR agency = ?) %s
            GROUP BY 1, 2, 3, 4, 5, 6
            ORDER BY 1, 2, 3, 4, 5, 6""";

    private final JdbcClient jdbc;
    private final ZoneId zone;

    public Usage(JdbcClient jdbc, QuotaSettings settings) {
        this.jdbc = jdbc;
        this.zone = settings.zone();
    }

    public ZoneId zone() {
        return zone;
    }

    /** The counts of each day from {@code from} to {@code to} (inclusive), of one agency or (empty) of every one. */
    public List<UsageCount> daily(LocalDate from, LocalDate to, Optional<String> agency) {
        String only = agency.orElse(null);
        return jdbc.sql(COUNT.formatted(""))
                .params(zone.getId(), start(from), start(to.plusDays(1)), only, only)
                .query(Usage::count)
                .list();
    }

    /**
     * The counts of {@code day}, of every agency, among the chain's entries appended after {@code after} up to
     * {@code upto} (two readings of {@link #heads}, lane by lane): what was appended between them, for a count kept
     * up to date without reading the whole day again.
     */
    public List<UsageCount> daily(LocalDate day, Map<Integer, Long> after, Map<Integer, Long> upto) {
        List<String> lanes = new ArrayList<>();
        List<Object> params = new ArrayList<>(List.of(zone.getId(), start(day), start(day.plusDays(1))));
        params.add(null);
        params.add(null);
        upto.forEach((lane, head) -> {
            long from = after.getOrDefault(lane, 0L);
            if (head > from) {
                lanes.add("(lane = ? AND seq > ? AND seq <= ?)");
                params.addAll(List.of(lane, from, head));
            }
        });
        if (lanes.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(COUNT.formatted("AND (" + String.join(" OR ", lanes) + ")"))
                .params(params)
                .query(Usage::count)
                .list();
    }

    /**
     * The position of each lane's newest entry, by lane. Every entry of a lane up to it is committed and visible: a
     * lane's head moves in the transaction that appends its entries, and appends to one lane take their turn under
     * its head's lock, so a lane's entries commit in the order of their positions (across lanes they need not).
     */
    public Map<Integer, Long> heads() {
        Map<Integer, Long> heads = new LinkedHashMap<>();
        jdbc.sql("SELECT id, seq FROM audit_head ORDER BY id").query(rs -> {
            heads.put(rs.getInt(1), rs.getLong(2));
        });
        return heads;
    }

    private static UsageCount count(ResultSet rs, int row) throws SQLException {
        return new UsageCount(rs.getObject("day", LocalDate.class), rs.getString("agency"), rs.getString("purpose"),
                rs.getString("action"), rs.getString("channel"), rs.getString("outcome"), rs.getLong("n"));
    }

    /** The counts of {@code month}, its days added up: the figures of one monthly bill. */
    public List<UsageCount> monthly(YearMonth month, Optional<String> agency) {
        Map<List<String>, Long> sums = new LinkedHashMap<>();
        for (UsageCount day : daily(month.atDay(1), month.atEndOfMonth(), agency)) {
            sums.merge(List.of(day.agency(), day.purpose(), day.operation(), day.channel(), day.outcome()),
                    day.count(), Long::sum);
        }
        List<UsageCount> counts = new ArrayList<>();
        sums.forEach((key, count) -> counts.add(new UsageCount(month.atDay(1), key.get(0), key.get(1), key.get(2),
                key.get(3), key.get(4), count)));
        counts.sort(Comparator.comparing(UsageCount::agency).thenComparing(UsageCount::purpose)
                .thenComparing(UsageCount::operation).thenComparing(UsageCount::channel)
                .thenComparing(UsageCount::outcome));
        return counts;
    }

    private OffsetDateTime start(LocalDate day) {
        return day.atStartOfDay(zone).toOffsetDateTime();
    }
}
