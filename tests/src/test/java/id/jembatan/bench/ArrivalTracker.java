package id.jembatan.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.ingest.IngestService;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each event of a run reached each agency, without anything added to the bus:
 * <ul>
 *   <li>tax: the MessageIds the tax sink received ({@link FastSinks#taxSince}, append-only, in arrival order), polled
 *   every few milliseconds and read from where the last poll stopped; an event has arrived when all its documents
 *   have (its registration and the parents' dependants changes);</li>
 *   <li>health: the NIKs of the Patients the FHIR sink stored ({@link FastSinks#patientsSince}), polled the same
 *   way;</li>
 *   <li>licensing: the licensing sandbox's {@code receivedSince(n)} (the rows it read from the drop files);</li>
 *   <li>accepted: the ingest service's INFO line after the database commit, for the bus-internal fan-out time.</li>
 * </ul>
 * Times are {@link System#nanoTime()}; a poll's resolution is {@link #POLL_MILLIS}.
 */
final class ArrivalTracker implements AutoCloseable {

    static final int POLL_MILLIS = 10;
    private static final int AGENCIES = 3;
    private static final String INGEST_LOGGER = IngestService.class.getName();

    private final InProcessBus bus;
    private final List<BenchEvent> events;
    private final Map<String, Integer> byTaxMessageId = new HashMap<>();
    private final Map<UUID, Integer> byEventId = new HashMap<>();
    private final AtomicIntegerArray taxDocsLeft;
    final AtomicLongArray sent;
    final AtomicLongArray accepted;
    final AtomicLongArray tax;
    final AtomicLongArray health;
    final AtomicLongArray licensing;
    final AtomicLongArray complete;
    private final AtomicIntegerArray parts;
    private final AtomicInteger completed = new AtomicInteger();
    private final int healthWritesAtStart;
    private final long sinkRequestsAloneAtStart;
    private final LogTap tap = new LogTap();
    private final Thread poller;
    private volatile boolean polling = true;
    private final Map<String, Integer> byNik = new HashMap<>();
    private int taxSeen;
    private int healthSeen;
    private int licensingSeen;

    ArrivalTracker(InProcessBus bus, List<BenchEvent> events) {
        this.bus = bus;
        this.events = events;
        int n = events.size();
        taxDocsLeft = new AtomicIntegerArray(n);
        for (int i = 0; i < n; i++) {
            BenchEvent e = events.get(i);
            byEventId.put(e.eventId(), i);
            byNik.put(e.nik(), i);
            for (String id : e.taxMessageIds()) {
                byTaxMessageId.put(id, i);
            }
            taxDocsLeft.set(i, e.taxMessageIds().size());
        }
        sent = unset(n);
        accepted = unset(n);
        tax = unset(n);
        health = unset(n);
        licensing = unset(n);
        complete = unset(n);
        parts = new AtomicIntegerArray(n);
        taxSeen = bus.sinks.taxDocuments();
        healthSeen = bus.sinks.patientWrites();
        licensingSeen = bus.licensing().received().size();
        healthWritesAtStart = healthSeen;
        sinkRequestsAloneAtStart = bus.sinks.singleRequests();
        tap.attach();
        poller = new Thread(this::poll, "bench-arrivals");
        poller.setDaemon(true);
        poller.start();
    }

    void sent(int index, long nanos) {
        sent.set(index, nanos);
    }

    int completed() {
        return completed.get();
    }

    int healthWrites() {
        return bus.sinks.patientWrites() - healthWritesAtStart;
    }

    /** The tax and health sinks' requests that were not batches since the start (0 when every delivery batched). */
    long sinkRequestsAlone() {
        return bus.sinks.singleRequests() - sinkRequestsAloneAtStart;
    }

    /** Waits until every event reached all three agencies; false on timeout. */
    boolean awaitAll(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (completed.get() < events.size()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** How many events reached each agency so far, for progress and timeout messages. */
    String progress() {
        return "tax " + count(tax) + ", health " + count(health) + ", licensing " + count(licensing)
                + ", all three " + completed.get() + " of " + events.size();
    }

    private static int count(AtomicLongArray a) {
        int c = 0;
        for (int i = 0; i < a.length(); i++) {
            if (a.get(i) >= 0) {
                c++;
            }
        }
        return c;
    }

    private void poll() {
        while (polling) {
            long now = System.nanoTime();
            // Only what arrived since the last poll: copying everything each time cost more CPU than the bus.
            List<String> taxDocs = bus.sinks.taxSince(taxSeen);
            for (String messageId : taxDocs) {
                Integer i = byTaxMessageId.get(messageId);
                if (i != null && taxDocsLeft.decrementAndGet(i) == 0) {
                    arrived(tax, i, now);
                }
            }
            taxSeen += taxDocs.size();
            List<String> patients = bus.sinks.patientsSince(healthSeen);
            for (String nik : patients) {
                Integer i = byNik.get(nik);
                if (i != null) {
                    arrived(health, i, now);
                }
            }
            healthSeen += patients.size();
            List<LicenceUpdate> rows = bus.licensing().receivedSince(licensingSeen);
            for (LicenceUpdate row : rows) {
                Integer i = byEventId.get(row.eventId());
                if (i != null) {
                    arrived(licensing, i, now);
                }
            }
            licensingSeen += rows.size();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void arrived(AtomicLongArray agency, int i, long nanos) {
        if (agency.compareAndSet(i, -1, nanos) && parts.incrementAndGet(i) == AGENCIES) {
            complete.set(i, nanos);
            completed.incrementAndGet();
        }
    }

    @Override
    public void close() {
        polling = false;
        poller.interrupt();
        tap.detach();
    }

    private static AtomicLongArray unset(int n) {
        AtomicLongArray a = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, -1);
        }
        return a;
    }

    /** Listens to the two INFO lines that carry an event id as their second argument. */
    private final class LogTap extends AppenderBase<ILoggingEvent> {

        @Override
        protected void append(ILoggingEvent event) {
            Object[] args = event.getArgumentArray();
            if (args == null || args.length < 2 || !(args[1] instanceof UUID id)) {
                return;
            }
            Integer i = byEventId.get(id);
            if (i == null) {
                return;
            }
            long now = System.nanoTime();
            if (event.getLoggerName().equals(INGEST_LOGGER) && event.getMessage().startsWith("Accepted")) {
                accepted.compareAndSet(i, -1, now);
            }
        }

        void attach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            setContext(context);
            setName("bench-arrivals");
            start();
            for (String name : new String[]{INGEST_LOGGER}) {
                Logger logger = context.getLogger(name);
                if (!logger.isInfoEnabled()) {
                    throw new IllegalStateException("the benchmark recognises arrivals by " + name
                            + "'s INFO lines; do not raise its log level");
                }
                logger.addAppender(this);
            }
        }

        void detach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(INGEST_LOGGER).detachAppender(this);
            stop();
        }
    }
}
