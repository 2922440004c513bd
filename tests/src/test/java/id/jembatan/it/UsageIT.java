package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.metering.UsageMetrics;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metering against the running bus: {@code GET /api/v1/operations/usage}, the monthly CSV and the metric
 * {@code jembatan.usage.today}, each compared with the audit chain's own entries.
 */
class UsageIT extends BusTestSupport {

    private static final String PURPOSE = "DRIVING_LICENCE_APPLICATION";

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private UsageMetrics usageMetrics;

    @Autowired
    private MeterRegistry meters;

    private static LocalDate today() {
        return LocalDate.now(ZoneId.of("Asia/Jakarta"));
    }

    private Citizen registered() {
        Citizen citizen = fixtures.citizen();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(fixtures.birth(citizen))).statusCode())
                .isEqualTo(202);
        return citizen;
    }

    /** The usage of licensing today, as {@code "operation/purpose/channel/outcome" -> count}. */
    private Map<String, Long> licensingToday() {
        HttpResponse<String> answer = get("/api/v1/operations/usage?from=" + today() + "&to=" + today()
                + "&agency=licensing", OPERATOR_KEY);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode usage = read(answer);
        assertThat(usage.get("zone").asText()).isEqualTo("Asia/Jakarta");
        Map<String, Long> counts = new HashMap<>();
        for (JsonNode count : usage.get("counts")) {
            assertThat(count.get("agency").asText()).isEqualTo("licensing");
            assertThat(count.get("day").asText()).isEqualTo(today().toString());
            counts.merge(count.get("operation").asText() + "/" + count.get("purpose").asText() + "/"
                    + count.get("channel").asText() + "/" + count.get("outcome").asText(),
                    count.get("count").asLong(), Long::sum);
        }
        assertThat(usage.get("total").asLong()).isEqualTo(counts.values().stream().mapToLong(Long::longValue).sum());
        return counts;
    }

    /** The audit chain's own count of licensing's entries today, grouped as {@link #licensingToday()}. */
    private Map<String, Long> licensingAuditedToday() {
        Map<String, Long> counts = new HashMap<>();
        jdbc.sql("""
                        SELECT action, COALESCE(purpose, '') AS purpose, channel, outcome, COUNT(*) AS n FROM audit_entry
                        WHERE agency = 'licensing' AND at >= ? AND at < ?
                        GROUP BY action, purpose, channel, outcome""")
                .params(today().atStartOfDay(ZoneId.of("Asia/Jakarta")).toOffsetDateTime(),
                        today().plusDays(1).atStartOfDay(ZoneId.of("Asia/Jakarta")).toOffsetDateTime())
                .query(rs -> {
                    counts.put(rs.getString("action") + "/" + rs.getString("purpose") + "/"
                            + rs.getString("channel") + "/" + rs.getString("outcome"), rs.getLong("n"));
                });
        return counts;
    }

    private static Map<String, Long> answered(Map<String, Long> counts) {
        Map<String, Long> answered = new HashMap<>(counts);
        answered.keySet().removeIf(key -> !key.startsWith("LOOKUP/") && !key.startsWith("VERIFICATION/"));
        return answered;
    }

    /**
     * Licensing looks up two registered citizens and one NIK nobody registered, and verifies one identity. Result:
     * today's usage of licensing rose by exactly 2 LOOKUP/DRIVING_LICENCE_APPLICATION/HTTP/OK, 1 .../NOT_FOUND and
     * 1 VERIFICATION/IDENTITY_VERIFICATION/HTTP/MATCH; and every count of licensing today equals the audit chain's
     * own count of its lookups and verifications, group by group.
     */
    @Test
    void usageCountsAreTheAuditChainsEntries() throws Exception {
        Citizen first = registered();
        Citizen second = registered();
        Map<String, Long> before = licensingToday();

        assertThat(get("/api/v1/citizens/" + first.nik() + "?purpose=" + PURPOSE, LICENSING_KEY).statusCode())
                .isEqualTo(200);
        assertThat(get("/api/v1/citizens/" + second.nik() + "?purpose=" + PURPOSE, LICENSING_KEY).statusCode())
                .isEqualTo(200);
        assertThat(get("/api/v1/citizens/" + fixtures.citizen().nik() + "?purpose=" + PURPOSE, LICENSING_KEY)
                .statusCode()).isEqualTo(404);
        assertThat(postJson("/api/v1/citizens/verify", LICENSING_KEY, JSON.writeValueAsString(Map.of(
                "nik", first.nik(), "fullName", first.fullName(), "birthDate", first.birthDate().toString())))
                .statusCode()).isEqualTo(200);
        Map<String, Long> after = licensingToday();

        assertThat(after.getOrDefault("LOOKUP/" + PURPOSE + "/HTTP/OK", 0L)
                - before.getOrDefault("LOOKUP/" + PURPOSE + "/HTTP/OK", 0L)).isEqualTo(2);
        assertThat(after.getOrDefault("LOOKUP/" + PURPOSE + "/HTTP/NOT_FOUND", 0L)
                - before.getOrDefault("LOOKUP/" + PURPOSE + "/HTTP/NOT_FOUND", 0L)).isEqualTo(1);
        assertThat(after.getOrDefault("VERIFICATION/IDENTITY_VERIFICATION/HTTP/MATCH", 0L)
                - before.getOrDefault("VERIFICATION/IDENTITY_VERIFICATION/HTTP/MATCH", 0L)).isEqualTo(1);
        // The synchronous operations: a delivery to licensing may still be on its way from an earlier test.
        assertThat(answered(after)).isNotEmpty().isEqualTo(answered(licensingAuditedToday()));
    }

    /**
     * The operator downloads this month's CSV for licensing, after a lookup. Result: 200 text/csv named
     * jembatan-usage-YYYY-MM.csv, the header row month,agency,purpose,operation,channel,outcome,count, and for each
     * lookup and verification group the month's count, which equals the sum of the days of the usage API over the
     * month.
     */
    @Test
    void theMonthlyCsvAddsUpTheDays() {
        Citizen citizen = registered();
        assertThat(get("/api/v1/citizens/" + citizen.nik() + "?purpose=" + PURPOSE, LICENSING_KEY).statusCode())
                .isEqualTo(200);
        YearMonth month = YearMonth.from(today());

        HttpResponse<String> csv = get("/api/v1/operations/usage/monthly?month=" + month + "&agency=licensing",
                OPERATOR_KEY);
        JsonNode days = read(get("/api/v1/operations/usage?from=" + month.atDay(1) + "&to=" + month.atEndOfMonth()
                + "&agency=licensing", OPERATOR_KEY));

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"jembatan-usage-" + month + ".csv\"");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("month,agency,purpose,operation,channel,outcome,count");
        Map<String, Long> monthly = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells[0]).isEqualTo(month.toString());
            assertThat(cells[1]).isEqualTo("licensing");
            monthly.put(cells[3] + "/" + cells[2] + "/" + cells[4] + "/" + cells[5], Long.parseLong(cells[6]));
        }
        Map<String, Long> summed = new HashMap<>();
        days.get("counts").forEach(count -> summed.merge(count.get("operation").asText() + "/"
                + count.get("purpose").asText() + "/" + count.get("channel").asText() + "/"
                + count.get("outcome").asText(), count.get("count").asLong(), Long::sum));
        // Lookups and verifications only: a delivery to licensing may land between the two requests.
        assertThat(answered(monthly)).isEqualTo(answered(summed)).containsKey("LOOKUP/" + PURPOSE + "/HTTP/OK");
    }

    /**
     * Licensing looks a citizen up; the metric is counted again; licensing looks two more up and the metric is
     * counted once more (from the entries appended since the first count). Result: each time
     * {@code jembatan.usage.today} for licensing, LOOKUP, DRIVING_LICENCE_APPLICATION is the audit chain's count of
     * those entries today, the second two more than the first.
     */
    @Test
    void theMetricIsTheAuditChainsCountOfToday() {
        Citizen citizen = registered();
        assertThat(get("/api/v1/citizens/" + citizen.nik() + "?purpose=" + PURPOSE, LICENSING_KEY).statusCode())
                .isEqualTo(200);

        usageMetrics.refresh();

        long audited = licensingLookupsAuditedToday();
        assertThat(licensingLookupGauge()).isEqualTo((double) audited).isPositive();

        for (Citizen next : List.of(registered(), registered())) {
            assertThat(get("/api/v1/citizens/" + next.nik() + "?purpose=" + PURPOSE, LICENSING_KEY).statusCode())
                    .isEqualTo(200);
        }
        usageMetrics.refresh();

        long auditedSince = licensingLookupsAuditedToday();
        assertThat(auditedSince).isGreaterThanOrEqualTo(audited + 2);
        assertThat(licensingLookupGauge()).isEqualTo((double) auditedSince);
    }

    private long licensingLookupsAuditedToday() {
        return licensingAuditedToday().entrySet().stream()
                .filter(e -> e.getKey().startsWith("LOOKUP/" + PURPOSE + "/"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private double licensingLookupGauge() {
        return meters.get("jembatan.usage.today").tags("agency", "licensing", "purpose", PURPOSE,
                "operation", "LOOKUP").gauge().value();
    }

    /**
     * Malformed and out-of-range periods, and an agency's key. Result: 400 {@code INVALID_QUERY_PARAMETER} at
     * {@code /from}, {@code /to} (before from, or over 366 days) and {@code /month}; 403 {@code OPERATOR_ONLY} for the
     * agency.
     */
    @Test
    void badPeriodsAndAgenciesAreRefused() {
        assertFieldProblem(get("/api/v1/operations/usage?from=2026-13-01&to=2026-12-31", OPERATOR_KEY), 400,
                "INVALID_QUERY_PARAMETER", "/from");
        assertFieldProblem(get("/api/v1/operations/usage?from=2026-12-02&to=2026-12-01", OPERATOR_KEY), 400,
                "INVALID_QUERY_PARAMETER", "/to");
        assertFieldProblem(get("/api/v1/operations/usage?from=2025-01-01&to=2026-12-31", OPERATOR_KEY), 400,
                "INVALID_QUERY_PARAMETER", "/to");
        assertFieldProblem(get("/api/v1/operations/usage/monthly?month=2026-12-01", OPERATOR_KEY), 400,
                "INVALID_QUERY_PARAMETER", "/month");
        assertProblem(get("/api/v1/operations/usage?from=2026-12-01&to=2026-12-01", LICENSING_KEY), 403,
                "OPERATOR_ONLY");
    }
}
