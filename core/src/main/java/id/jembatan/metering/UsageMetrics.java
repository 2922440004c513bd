package id.jembatan.metering;

import id.jembatan.bus.Failures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The metric {@code jembatan.usage.today} (tags agency, purpose, operation): today's audit entries, counted from the
 * audit chain by {@link Usage} every {@code jembatan.metering.refresh} (the entries appended since the last count
 * added to it), so that the metric says what the usage API and the monthly CSV say. It is the database's count, the
 * same from every bus instance: aggregate it with max, not sum.
 */
@Component
public class UsageMetrics implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(UsageMetrics.class);

    private final Usage usage;
    private final Clock clock;
    private final MeteringSettings settings;
    private final MultiGauge today;
    private ScheduledExecutorService refresher;
    /** Today's counts so far, the day they are of and the chain's entry they reach (guarded by this). */
    private final Map<Tags, Long> counts = new LinkedHashMap<>();
    private LocalDate countedDay;
    /** Each lane's position counted up to. */
    private Map<Integer, Long> countedUpTo = Map.of();

    public UsageMetrics(Usage usage, Clock clock, MeteringSettings settings, MeterRegistry meters) {
        this.usage = usage;
        this.clock = clock;
        this.settings = settings;
        this.today = MultiGauge.builder("jembatan.usage.today")
                .description("Today's audit entries per agency, purpose and operation (the audit chain's count)")
                .register(meters);
    }

    /**
     * Adds the entries appended since the last refresh to today's counts and replaces the gauges: only the chain's
     * new entries are read (lane by lane, by their positions), not the whole day again, which at a national rate of
     * lookups would be millions of entries a minute in every instance. A new day starts from nothing; a chain whose
     * head went back (a store restored from a backup) is counted afresh.
     */
    public synchronized void refresh() {
        LocalDate day = LocalDate.now(clock.withZone(usage.zone()));
        Map<Integer, Long> heads = usage.heads();
        boolean wentBack = countedUpTo.entrySet().stream()
                .anyMatch(counted -> heads.getOrDefault(counted.getKey(), 0L) < counted.getValue());
        if (!day.equals(countedDay) || wentBack) {
            counts.clear();
            countedDay = day;
            countedUpTo = Map.of();
        }
        for (UsageCount count : usage.daily(day, countedUpTo, heads)) {
            counts.merge(Tags.of("agency", count.agency(), "purpose", count.purpose(), "operation",
                    count.operation()), count.count(), Long::sum);
        }
        countedUpTo = heads;
        List<MultiGauge.Row<?>> rows = counts.entrySet().stream()
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
                .toList();
        today.register(rows, true);
    }

    @Override
    public void start() {
        refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "usage-metrics");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.refresh().toMillis();
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                // The next round tries again; the gauges keep their last values meanwhile.
                log.warn("Usage metrics not refreshed: {}", Failures.describe(e));
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }

    @Override
    public boolean isRunning() {
        return refresher != null;
    }

    @Override
    public void destroy() {
        stop();
    }
}
