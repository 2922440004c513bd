package id.jembatan.statistics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import id.jembatan.quota.RateLimitedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.EventType;
import id.jembatan.schema.rules.RegionCodes;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Open statistics without personal data: events by month and region, the living population by sex and age band, for
 * the whole country, a province or a regency. Each release (an event type and year, or a population dimension) is
 * computed from the database, protected as a whole ({@link RegionalRelease}; the population's two dimensions
 * together, as they share each region's total) and kept for
 * {@code jembatan.statistics.refresh}; an answer is a slice of one or more releases, and a sum it shows is published
 * only when every figure it adds is, so that no request, nor any set of requests, gives a withheld figure away.
 */
@Service
public class OpenStatistics {

    /** The key of the total in an answer's cells. */
    public static final String TOTAL = "TOTAL";
    private static final String COUNTRY = "Indonesia";
    private static final int FIRST_YEAR = 1900;

    private record ReleaseKey(String measure, String variant, int year) {
    }

    private record Computed(RegionalRelease release, Instant at) {
    }

    private record Population(PopulationRelease release, Instant at) {
    }

    private final StatisticsSource source;
    private final StatisticsSettings settings;
    private final Clock clock;
    private final RegionCodes regions = RegionCodes.official();
    private final SmallCellProtection protection;
    private final Cache<ReleaseKey, Computed> releases;
    private final Cache<String, Population> population;
    private final MeterRegistry computations;
    private final Bucket budget;

    public OpenStatistics(StatisticsSource source, StatisticsSettings settings, Clock clock, MeterRegistry meters) {
        this.source = source;
        this.computations = meters;
        // Everyone's together, in this instance: anonymous callers have no quota of their own (Quotas is per agency).
        this.budget = Bucket.builder().addLimit(limit -> limit.capacity(settings.computations().requests())
                .refillIntervally(settings.computations().requests(), settings.computations().period())).build();
        this.settings = settings;
        this.clock = clock;
        this.protection = new SmallCellProtection(settings.minimumCount());
        // Bounded: event types x years asked for, and the population's dimensions.
        this.releases = Caffeine.newBuilder().expireAfterWrite(settings.refresh()).maximumSize(512).build();
        this.population = Caffeine.newBuilder().expireAfterWrite(settings.refresh()).maximumSize(1).build();
    }

    /**
     * Events of {@code type} in {@code region} from {@code from} to {@code to} (months, inclusive), by month or by
     * the region's parts.
     */
    public StatisticsTable events(String type, String region, String from, String to, String groupBy) {
        List<FieldError> errors = new ArrayList<>();
        EventType eventType = type == null ? null : EventType.fromWireName(type).orElse(null);
        if (eventType == null) {
            errors.add(invalid("/type", "type must be one of " + EventType.wireNames()));
        }
        String code = region(region, errors);
        YearMonth first = month("/from", from, errors);
        YearMonth last = month("/to", to, errors);
        boolean byRegion = "region".equals(groupBy);
        if (!byRegion && !"month".equals(groupBy)) {
            errors.add(invalid("/groupBy", "groupBy must be month or region"));
        }
        if (byRegion && code != null && code.length() > 2) {
            errors.add(invalid("/groupBy", "groupBy=region needs the whole country or a province (2 digits)"));
        }
        if (first != null && last != null) {
            long months = ChronoUnit.MONTHS.between(first, last) + 1;
            if (months < 1 || months > settings.maxMonths()) {
                errors.add(invalid("/to", "to must lie from 'from' to " + settings.maxMonths() + " months after it"));
            }
        }
        refuseIf(errors);
        List<Computed> years = new ArrayList<>();
        for (int year = first.getYear(); year <= last.getYear(); year++) {
            int y = year;
            years.add(releases.get(new ReleaseKey("events", eventType.wireName(), year), key -> timed("events",
                    () -> new Computed(RegionalRelease.protect(months(),
                            source.eventsByMonth(eventType, y, settings.zone()), regions, protection),
                            clock.instant()))));
        }
        List<StatisticsTable.Cell> cells = new ArrayList<>();
        if (byRegion) {
            List<String> parts = years.get(0).release().parts(code);
            for (String part : parts) {
                cells.add(StatisticsTable.Cell.of(part, name(part), sumOverYears(years, first, last, part)));
            }
        } else {
            for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
                Computed year = years.get(month.getYear() - first.getYear());
                cells.add(StatisticsTable.Cell.of(month.toString(), null,
                        year.release().line(code).get(month.getMonthValue() - 1)));
            }
        }
        Figure total = sumOverYears(years, first, last, code);
        return new StatisticsTable("events", eventType.wireName(), code, name(code), groupBy, first.toString(),
                last.toString(), settings.minimumCount(), oldest(years), cells, StatisticsTable.Cell.of(TOTAL, null,
                total));
    }

    /** The living population of {@code region} by sex or age band. */
    public StatisticsTable population(String region, String groupBy) {
        List<FieldError> errors = new ArrayList<>();
        String code = region(region, errors);
        PopulationDimension dimension = PopulationDimension.ofParameter(groupBy).orElse(null);
        if (dimension == null) {
            errors.add(invalid("/groupBy", "groupBy must be sex or ageBand"));
        }
        refuseIf(errors);
        // Both dimensions from one reading of the index, protected together (they share each region's total).
        Population computed = population.get("population", key -> timed("population", () -> new Population(
                PopulationRelease.protect(source.population(LocalDate.now(clock.withZone(settings.zone()))), regions,
                        protection), clock.instant())));
        List<Figure> line = computed.release().of(dimension).line(code);
        List<StatisticsTable.Cell> cells = new ArrayList<>();
        for (int c = 0; c < dimension.categories().size(); c++) {
            cells.add(StatisticsTable.Cell.of(dimension.categories().get(c), null, line.get(c)));
        }
        return new StatisticsTable("population", null, code, name(code), dimension.parameter(), null, null,
                settings.minimumCount(), computed.at(), cells,
                StatisticsTable.Cell.of(TOTAL, null, line.get(line.size() - 1)));
    }

    /**
     * A region's count over the months from {@code first} to {@code last}: per year the release's own total (a
     * figure of the protected tables) where the year is covered whole, else the sum of its months; published only if
     * each of those is.
     */
    private static Figure sumOverYears(List<Computed> years, YearMonth first, YearMonth last, String region) {
        List<Figure> parts = new ArrayList<>();
        for (int y = 0; y < years.size(); y++) {
            RegionalRelease release = years.get(y).release();
            int year = first.getYear() + y;
            int fromMonth = year == first.getYear() ? first.getMonthValue() : 1;
            int toMonth = year == last.getYear() ? last.getMonthValue() : 12;
            List<Figure> line = release.line(region);
            parts.add(fromMonth == 1 && toMonth == 12 ? line.get(12) : Figure.sum(line.subList(fromMonth - 1, toMonth)));
        }
        return Figure.sum(parts);
    }

    /**
     * Computes a release within the budget of computations ({@code jembatan.statistics.computations}), timed for the
     * operators ({@code jembatan.statistics.release}, tag {@code measure}): how often the figures are computed from
     * the database, and how long that takes.
     */
    private <T> T timed(String measure, Supplier<T> computation) {
        if (!budget.tryConsume(1)) {
            // Nothing is cached: the same request succeeds once the budget refreshes.
            throw new RateLimitedException("the statistics asked for are not in memory and the bus computes at most "
                    + settings.computations().requests() + " releases per " + settings.computations().period()
                    .toSeconds() + " s for all callers; retry after the time given in Retry-After",
                    settings.computations().period());
        }
        return Timer.builder("jembatan.statistics.release")
                .description("Open statistics releases computed from the database and protected")
                .tag("measure", measure).register(computations).record(computation);
    }

    private String region(String region, List<FieldError> errors) {
        if (region == null || region.isEmpty()) {
            return "";
        }
        int level = regions.level(region);
        if (level != 1 && level != 2) {
            errors.add(invalid("/region", "region must be a province (2 digits) or regency or city (4 digits) of the "
                    + "official list"));
            return null;
        }
        return region;
    }

    private YearMonth month(String pointer, String value, List<FieldError> errors) {
        try {
            YearMonth month = YearMonth.parse(value == null ? "" : value);
            if (month.getYear() >= FIRST_YEAR && !month.isAfter(YearMonth.now(clock.withZone(settings.zone())))) {
                return month;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(invalid(pointer, pointer.substring(1) + " must be a month YYYY-MM from " + FIRST_YEAR
                + "-01 to the current month"));
        return null;
    }

    private String name(String code) {
        return code.isEmpty() ? COUNTRY : regions.name(code).orElse(null);
    }

    private static Instant oldest(List<Computed> years) {
        return years.stream().map(Computed::at).min(Instant::compareTo).orElseThrow();
    }

    private static List<String> months() {
        List<String> months = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            months.add(String.format("%02d", m));
        }
        return months;
    }

    private static FieldError invalid(String pointer, String message) {
        return new FieldError(ErrorCode.INVALID_QUERY_PARAMETER, pointer, message);
    }

    private static void refuseIf(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
    }
}
