package id.jembatan.agency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The agencies an operator suspended, as the database holds them ({@code agency_suspension}): the one question
 * every door asks ({@link #suspended(String)}: HTTP, FHIR, the broker, deliveries, sync jobs). Answered from memory;
 * the table is read at start, after each change made here, and every {@code jembatan.suspensions.refresh-interval}
 * for the changes other bus instances made; {@link Listener}s hear of each change (delivery is held and released
 * that way on every instance). Suspending and reinstating (with the audit entry, the held deliveries
 * and the closed broker sessions) is {@code operations.AgencySuspension}'s.
 */
@Component
@DependsOnDatabaseInitialization
public class AgencySuspensions implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AgencySuspensions.class);

    /**
     * One suspended agency.
     *
     * @param deliveryWasPaused delivery to the agency was already paused by an operator when it was suspended
     */
    public record Suspension(String agency, Instant since, String operator, String reason,
                             boolean deliveryWasPaused) {
    }

    /**
     * Told of each suspension and reinstatement as this instance learns of it, made here or on another instance
     * (after the table was read; not of the suspensions read at start).
     */
    public interface Listener {

        void suspended(Suspension suspension);

        void reinstated(Suspension was);
    }

    private final JdbcClient jdbc;
    private final ScheduledExecutorService refresher;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, Suspension> current;

    public AgencySuspensions(JdbcClient jdbc, SuspensionSettings settings) {
        this.jdbc = jdbc;
        this.current = read();
        current.values().forEach(s -> log.warn("Agency {} is suspended (since {}, by {}): {}", s.agency(),
                s.since(), s.operator(), s.reason()));
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "agency-suspensions");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.refreshInterval().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /** Whether the agency is suspended: everything it presents is refused and nothing is delivered to it. */
    public boolean suspended(String agency) {
        return agency != null && current.containsKey(agency);
    }

    public Optional<Suspension> suspension(String agency) {
        return Optional.ofNullable(current.get(agency));
    }

    /** Every suspended agency, by id. */
    public Map<String, Suspension> all() {
        return current;
    }

    /**
     * Records the suspension, in the caller's transaction when there is one; false if the agency was suspended
     * already (the first suspension stands).
     */
    public boolean record(Suspension suspension) {
        int added = jdbc.sql("""
                        INSERT INTO agency_suspension (agency, since, operator, reason, delivery_was_paused)
                        SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM agency_suspension WHERE agency = ?)""")
                .params(suspension.agency(), OffsetDateTime.ofInstant(suspension.since(), ZoneOffset.UTC),
                        suspension.operator(), suspension.reason(), suspension.deliveryWasPaused(),
                        suspension.agency())
                .update();
        return added == 1;
    }

    /** Removes the agency's suspension, in the caller's transaction when there is one; what it was, if any. */
    public Optional<Suspension> remove(String agency) {
        Optional<Suspension> was = jdbc.sql("""
                        SELECT agency, since, operator, reason, delivery_was_paused FROM agency_suspension
                        WHERE agency = ? FOR UPDATE""")
                .param(agency).query(AgencySuspensions::suspension).optional();
        was.ifPresent(s -> jdbc.sql("DELETE FROM agency_suspension WHERE agency = ?").param(agency).update());
        return was;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Reads the table again (after a change here commits, and periodically for the other instances' changes) and
     * tells the listeners what changed.
     */
    public synchronized void refresh() {
        Map<String, Suspension> before = current;
        Map<String, Suspension> now;
        try {
            now = read();
        } catch (RuntimeException e) {
            // The last known suspensions stay in force until the database answers again.
            log.warn("Reading the agency suspensions failed; the last known ones stay in force: {}", e.toString());
            return;
        }
        current = now;
        now.values().stream().filter(s -> !before.containsKey(s.agency()))
                .forEach(s -> tell(s, Listener::suspended));
        before.values().stream().filter(s -> !now.containsKey(s.agency()))
                .forEach(s -> tell(s, Listener::reinstated));
    }

    private void tell(Suspension change, BiConsumer<Listener, Suspension> what) {
        for (Listener listener : listeners) {
            try {
                what.accept(listener, change);
            } catch (RuntimeException e) {
                log.error("Applying the {} of agency {} failed", what, change.agency(), e);
            }
        }
    }

    private Map<String, Suspension> read() {
        return jdbc.sql("SELECT agency, since, operator, reason, delivery_was_paused FROM agency_suspension")
                .query(AgencySuspensions::suspension).list().stream()
                .collect(Collectors.toUnmodifiableMap(Suspension::agency, Function.identity()));
    }

    private static Suspension suspension(ResultSet rs, int row) throws SQLException {
        return new Suspension(rs.getString("agency"), rs.getObject("since", OffsetDateTime.class).toInstant(),
                rs.getString("operator"), rs.getString("reason"), rs.getBoolean("delivery_was_paused"));
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }
}
