package id.jembatan.statistics;

import id.jembatan.quota.RateLimitSettings;
import id.jembatan.quota.RateLimitedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.EventType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The open statistics' answers over counts given by a source of fixed counts (the database's side is StatisticsIT's):
 * what a request may ask for, and the budget of releases computed for everyone together.
 */
class OpenStatisticsTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-20T03:00:00Z"), ZoneOffset.UTC);

    /** Counts 40 births a month in Jakarta Pusat, every year; records which years were read. */
    private static final class FixedCounts extends StatisticsSource {

        final List<Integer> yearsRead = new ArrayList<>();

        FixedCounts() {
            super(null);
        }

        @Override
        public Map<String, long[]> eventsByMonth(EventType type, int year, ZoneId zone) {
            yearsRead.add(year);
            long[] months = new long[12];
            java.util.Arrays.fill(months, 40);
            return Map.of("3171", months);
        }

        @Override
        public Map<String, long[]> population(LocalDate today) {
            return Map.of();
        }
    }

    private final FixedCounts source = new FixedCounts();

    private OpenStatistics statistics(int computations) {
        return new OpenStatistics(source, new StatisticsSettings(10, Duration.ofMinutes(1), ZoneId.of("Asia/Jakarta"),
                120, new RateLimitSettings(computations, Duration.ofMinutes(1))), NOW, new SimpleMeterRegistry());
    }

    /**
     * With a budget of two computations a minute, three years are asked for, then the first again. Result: the third
     * is refused with {@code RATE_LIMITED} and a retry time, nothing read for it; the first is served from memory.
     */
    @Test
    void releasesNotInMemoryAreComputedWithinTheBudget() {
        OpenStatistics statistics = statistics(2);

        statistics.events("BirthRegistered", "31", "2024-01", "2024-12", "month");
        statistics.events("BirthRegistered", "31", "2025-01", "2025-12", "month");
        assertThatThrownBy(() -> statistics.events("BirthRegistered", "31", "2023-01", "2023-12", "month"))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfterSeconds()).isPositive());
        StatisticsTable again = statistics.events("BirthRegistered", "3171", "2024-01", "2024-03", "month");

        assertThat(source.yearsRead).containsExactly(2024, 2025);
        assertThat(again.total().count()).isEqualTo(120);
    }

    /**
     * Queries that are not well formed: an unknown type, a region not in the list, months the wrong way round or
     * after this month, a period over the limit, groupBy=region below a province. Result: INVALID_QUERY_PARAMETER
     * with the pointer of each, and nothing read.
     */
    @Test
    void malformedQueriesAreRefusedBeforeAnythingIsRead() {
        OpenStatistics statistics = statistics(100);

        assertThat(pointers(() -> statistics.events("Born", "99", "2026-13", "2026-01", "month")))
                .containsExactly("/type", "/region", "/from");
        assertThat(pointers(() -> statistics.events("BirthRegistered", "", "2026-05", "2026-01", "month")))
                .containsExactly("/to");
        assertThat(pointers(() -> statistics.events("BirthRegistered", "", "2026-01", "2026-12", "month")))
                .containsExactly("/to");
        assertThat(pointers(() -> statistics.events("BirthRegistered", "", "2000-01", "2026-01", "month")))
                .containsExactly("/to");
        assertThat(pointers(() -> statistics.events("BirthRegistered", "3171", "2026-01", "2026-02", "region")))
                .containsExactly("/groupBy");
        assertThat(pointers(() -> statistics.population("31", "religion"))).containsExactly("/groupBy");
        assertThat(source.yearsRead).isEmpty();
    }

    private static List<String> pointers(Runnable request) {
        try {
            request.run();
        } catch (JembatanException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY_PARAMETER);
            return e.errors().stream().map(FieldError::pointer).toList();
        }
        throw new AssertionError("not refused");
    }
}
