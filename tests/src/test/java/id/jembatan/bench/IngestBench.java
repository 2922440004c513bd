package id.jembatan.bench;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Ingest to fan-out: N births of distinct citizens go into the bus, (a) as JMS messages on
 * {@code civilregistry.events.in} over the bus's TCP acceptor (as the civil registry would send them, group id =
 * NIK, in transactions), or (b) as {@code POST /api/v1/events} from concurrent HTTP clients; each run lasts until
 * every event reached all three agencies through the real connectors.
 */
final class IngestBench {

    private static final String CIVIL_REGISTRY_KEY = "demo-civil-registry-key";

    private IngestBench() {
    }

    /** Births on {@code civilregistry.events.in} as fast as they can be sent, {@code batch} per transaction. */
    static Map<String, Object> jms(InProcessBus bus, List<BenchEvent> events, int batch, int timeoutSeconds)
            throws Exception {
        Map<String, Object> result = sendJms(bus, events, batch, 0, timeoutSeconds, "JMS");
        result.put("producerTransaction", batch);
        return result;
    }

    /**
     * Births on {@code civilregistry.events.in} at a steady {@code rate} below what the bus can take, each in its own
     * transaction as the civil registry would send them one by one: how long an event takes to reach the agencies
     * when nothing queues. Latency counts from when each event was due, so a send that fell behind counts too.
     */
    static Map<String, Object> jmsPaced(InProcessBus bus, List<BenchEvent> events, int rate, int timeoutSeconds)
            throws Exception {
        return jmsPaced(bus, events, rate, timeoutSeconds, true);
    }

    /** As above; {@code measureIdle} false skips the 5 s measurement of the idle JVM first (for the warm-up). */
    static Map<String, Object> jmsPaced(InProcessBus bus, List<BenchEvent> events, int rate, int timeoutSeconds,
                                        boolean measureIdle) throws Exception {
        double idleCores = 0;
        if (measureIdle) {
            // What the JVM spends with nothing to do (timers, pollers, the arrival tracker), to read the CPU per
            // event by.
            BusCpu.Sample idleCpu = bus.cpu.sample();
            long idleStart = System.nanoTime();
            Thread.sleep(5_000);
            idleCores = bus.cpu.sample().since(idleCpu).totalNanos() / (double) (System.nanoTime() - idleStart);
        }
        Map<String, Object> result = sendJms(bus, events, 1, 1_000_000_000L / rate, timeoutSeconds, "JMS paced");
        result.put("ratePerSecond", rate);
        if (measureIdle) {
            result.put("idleCoresBusy", Math.round(idleCores * 100) / 100.0);
        }
        return result;
    }

    /**
     * Sends every event, one each {@code intervalNanos} (0: back to back), and waits until all three agencies have
     * it.
     */
    private static Map<String, Object> sendJms(InProcessBus bus, List<BenchEvent> events, int batch,
                                               long intervalNanos, int timeoutSeconds, String channel)
            throws Exception {
        try (ArrivalTracker tracker = new ArrivalTracker(bus, events);
             Connection connection = civilRegistry(bus).createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            long maxLate = 0;
            BusCpu.Sample cpuStart = bus.cpu.sample();
            long start = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
                long now = System.nanoTime();
                long sentAt = now;
                if (intervalNanos > 0) {
                    sentAt = start + i * intervalNanos;
                    while (now < sentAt) {
                        LockSupport.parkNanos(sentAt - now);
                        now = System.nanoTime();
                    }
                    maxLate = Math.max(maxLate, now - sentAt);
                }
                BenchEvent e = events.get(i);
                TextMessage message = session.createTextMessage(e.json());
                message.setStringProperty("JMSXGroupID", e.nik());
                tracker.sent(i, sentAt);
                producer.send(message);
                if ((i + 1) % batch == 0 || i == events.size() - 1) {
                    session.commit();
                }
            }
            long sentAll = System.nanoTime();
            Map<String, Object> result = finish(bus, tracker, events.size(), start, cpuStart, timeoutSeconds, channel);
            result.put("sentPerSecond", RawBrokerBench.perSecond(events.size(), sentAll - start));
            if (intervalNanos > 0) {
                result.put("maxLateSendMillis", Stats.millis(maxLate));
            }
            return result;
        }
    }

    /** The civil registry signs in to send to its inbound queue (clients without a user are refused). */
    private static ActiveMQConnectionFactory civilRegistry(InProcessBus bus) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + bus.brokerPort);
        factory.setUser("civil-registry");
        factory.setPassword(CIVIL_REGISTRY_KEY);
        return factory;
    }

    static Map<String, Object> http(InProcessBus bus, List<BenchEvent> events, int clients, int timeoutSeconds)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + bus.httpPort + "/api/v1/events");
        int n = events.size();
        AtomicLongArray answered = new AtomicLongArray(n);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (ArrivalTracker tracker = new ArrivalTracker(bus, events)) {
            BusCpu.Sample cpuStart = bus.cpu.sample();
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        HttpRequest request = HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(30))
                                .header("X-API-Key", CIVIL_REGISTRY_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(events.get(i).json(),
                                        StandardCharsets.UTF_8))
                                .build();
                        long sent = System.nanoTime();
                        tracker.sent(i, sent);
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            answered.set(i, System.nanoTime() - sent);
                            statuses.merge(response.statusCode(), 1, Integer::sum);
                            if (response.statusCode() != 202) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            answered.set(i, System.nanoTime() - sent);
                            errors.incrementAndGet();
                            statuses.merge(-1, 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            long answeredAll = System.nanoTime();
            if (errors.get() > 0) {
                throw new IllegalStateException(errors.get() + " of " + n + " POSTs failed: status counts "
                        + statuses + " (-1: no answer)");
            }
            Map<String, Object> result = finish(bus, tracker, n, start, cpuStart, timeoutSeconds, "HTTP");
            result.put("clients", clients);
            result.put("acceptedPerSecond", RawBrokerBench.perSecond(n, answeredAll - start));
            long[] responseTimes = new long[n];
            for (int i = 0; i < n; i++) {
                responseTimes[i] = answered.get(i);
            }
            result.put("httpResponseMillis", Stats.latencyMillis(responseTimes));
            result.put("httpStatuses", statuses);
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Object> finish(InProcessBus bus, ArrivalTracker tracker, int n, long start,
                                              BusCpu.Sample cpuStart, int timeoutSeconds, String channel)
            throws InterruptedException {
        if (!tracker.awaitAll(timeoutSeconds)) {
            throw new IllegalStateException(channel + " ingest: not every event reached all three agencies within "
                    + timeoutSeconds + " s: " + tracker.progress());
        }
        BusCpu.Sample spent = bus.cpu.sample().since(cpuStart);
        long cpu = spent.totalNanos();
        long end = Long.MIN_VALUE;
        long[] endToEnd = new long[n];
        long[] fanOut = new long[n];
        long[] toTax = new long[n];
        long[] toHealth = new long[n];
        long[] toLicensing = new long[n];
        long lastAccepted = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long sent = tracker.sent.get(i);
            long done = tracker.complete.get(i);
            long accepted = tracker.accepted.get(i);
            end = Math.max(end, done);
            endToEnd[i] = done - sent;
            fanOut[i] = accepted < 0 ? -1 : done - accepted;
            lastAccepted = Math.max(lastAccepted, accepted);
            toTax[i] = tracker.tax.get(i) - sent;
            toHealth[i] = tracker.health.get(i) - sent;
            toLicensing[i] = tracker.licensing.get(i) - sent;
        }
        if (tracker.healthWrites() < n) {
            throw new IllegalStateException(channel + " ingest: the health sink stored " + tracker.healthWrites()
                    + " writes for " + n + " events");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("channel", channel);
        result.put("events", n);
        result.put("eventsPerSecond", RawBrokerBench.perSecond(n, end - start));
        result.put("ingestedPerSecond", RawBrokerBench.perSecond(n, lastAccepted - start));
        result.put("seconds", (end - start) / 1e9);
        // The whole JVM (bus, the sinks and the licensing sandbox, load generator) and the embedded PostgreSQL.
        result.put("cpuMillisPerEvent", Stats.millis(cpu / n));
        result.put("storeCpuMillisPerEvent", Stats.millis(spent.storeNanos() / n));
        // Part of the JVM's CPU: the JIT compiler still compiling (a fresh JVM's cost, not the bus's per event).
        result.put("jitCpuMillisPerEvent", Stats.millis(spent.jitNanos() / n));
        result.put("cpuCoresBusy", Math.round(cpu / (double) (end - start) * 100) / 100.0);
        result.put("endToEndMillis", Stats.latencyMillis(endToEnd));
        result.put("acceptedToLastAgencyMillis", Stats.latencyMillis(fanOut));
        Map<String, Object> perAgency = new LinkedHashMap<>();
        perAgency.put("tax", Stats.latencyMillis(toTax));
        perAgency.put("health", Stats.latencyMillis(toHealth));
        perAgency.put("licensing", Stats.latencyMillis(toLicensing));
        result.put("sendToAgencyMillis", perAgency);
        result.put("healthSinkWrites", tracker.healthWrites());
        result.put("sinkRequestsAlone", tracker.sinkRequestsAlone());
        result.put("arrivalPollMillis", ArrivalTracker.POLL_MILLIS);
        return result;
    }
}
