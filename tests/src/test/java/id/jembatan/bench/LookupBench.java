package id.jembatan.bench;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Lookups (or identity verifications) at a fixed rate, open loop: request i is due at {@code start + i / rate} whatever happened to earlier
 * ones, is handed at that time to the first free one of {@value #CONNECTIONS} keep-alive connections (or waits for
 * one), and its latency counts from when it was due, so a stalled server shows as the queueing its callers would see
 * (no coordinated omission). {@code GET /api/v1/citizens/{nik}?purpose=TAXPAYER_REGISTRATION}, or
 * {@code POST /api/v1/citizens/verify} with the citizen's name and birth date, with the tax office's key, for citizens
 * drawn at random from the seeded index.
 */
final class LookupBench {

    private static final String TAX_KEY = "demo-tax-key";
    /** Keep-alive connections (and threads) of the load generator. */
    private static final int CONNECTIONS = 64;

    private LookupBench() {
    }

    /** What each request asks. */
    enum Kind {
        /** {@code GET /api/v1/citizens/{nik}?purpose=TAXPAYER_REGISTRATION}: 200 expected. */
        LOOKUP,
        /** {@code POST /api/v1/citizens/verify} with the seeded name and birth date: 200 MATCH expected. */
        VERIFY
    }

    /**
     * @param memory sampled every 250 ms while the measured requests run (the bus process's VmRSS), may be null
     * @param busCpu  the bus's JVM and its embedded PostgreSQL
     * @param statements the embedded server's superuser, to count the statements of the measured requests
     *                   ({@code -Dbench.store-statements=true}); null: not counted
     * @param inThisJvm the bus runs in the load generator's JVM (whose CPU is then counted as the bus's)
     */
    static Map<String, Object> run(Kind kind, int httpPort, List<CitizenSeeder.Seeded> citizens, int rate,
                                   int warmupSeconds, int seconds, Supplier<Map<String, Double>> memory,
                                   BusCpu busCpu, boolean inThisJvm, DataSource statements)
            throws InterruptedException {
        // Blocking keep-alive connections, one per worker: the JDK's asynchronous HttpClient took 0.58 ms of CPU per
        // request on the bus's own 2 cores (0.58 cores at 1,000/s), more than a third of what a lookup costs the bus.
        System.setProperty("http.maxConnections", Integer.toString(CONNECTIONS));
        ExecutorService workers = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            String base = "http://127.0.0.1:" + httpPort + "/api/v1/citizens/";
            fire(workers, kind, base, citizens, rate, warmupSeconds);
            List<Double> rss = new ArrayList<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            if (memory != null) {
                sampler.scheduleAtFixedRate(() -> rss.add(memory.get().get("VmRSS")), 0, 250,
                        TimeUnit.MILLISECONDS);
            }
            Result measured;
            if (statements != null) {
                StoreStatements.reset(statements);
            }
            BusCpu.Sample cpuStart = busCpu.sample();
            long selfCpuStart = Stats.cpuNanos("self");
            BusCpu.Sample spent;
            long selfCpuEnd;
            try {
                measured = fire(workers, kind, base, citizens, rate, seconds);
                spent = busCpu.sample().since(cpuStart);
                selfCpuEnd = Stats.cpuNanos("self");
            } finally {
                sampler.shutdown();
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("kind", kind.name());
            result.put("rate", rate);
            result.put("seconds", seconds);
            result.put("warmupSeconds", warmupSeconds);
            result.put("requests", measured.latencies.length);
            result.put("achievedPerSecond", RawBrokerBench.perSecond(measured.latencies.length,
                    measured.lastCompletion - measured.start));
            result.put("latencyMillis", Stats.latencyMillis(measured.latencies));
            result.put("errors", measured.errors);
            result.put("statuses", measured.statuses);
            result.put("failures", measured.failures);
            result.put("maxLateSendMillis", Stats.millis(measured.maxLateSend));
            // The bus's JVM and its embedded PostgreSQL together, and the store's share.
            result.put("cpuMillisPerLookup", Math.round(spent.totalNanos() / 1e6 / measured.latencies.length * 1000)
                    / 1000.0);
            result.put("storeCpuMillisPerLookup", Math.round(spent.storeNanos() / 1e6 / measured.latencies.length
                    * 1000) / 1000.0);
            // Part of the bus's CPU: its JIT compiler, still compiling after the warm-up.
            result.put("jitCpuMillisPerLookup", Math.round(spent.jitNanos() / 1e6 / measured.latencies.length
                    * 1000) / 1000.0);
            result.put("cpuCoresBusy", Math.round(spent.totalNanos() / (double) (measured.lastCompletion
                    - measured.start) * 100) / 100.0);
            // The load generator shares the machine's cores with the bus: what it took is what the bus could not have.
            result.put("loadGeneratorCpuCoresBusy", inThisJvm ? null : Math.round((selfCpuEnd
                    - selfCpuStart) / (double) (measured.lastCompletion - measured.start) * 100) / 100.0);
            if (statements != null) {
                result.put("storeStatements", StoreStatements.since(statements, measured.latencies.length));
            }
            if (memory != null) {
                result.put("rssSamplesMiB", rss.size());
                result.put("rssMaxMiB", rss.stream().mapToDouble(Double::doubleValue).max().orElse(-1));
                result.put("rssAfter", memory.get());
            }
            return result;
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * One request with the tax office's key, a GET or a POST of {@code body}; the answer is read to the end so that
     * the connection is kept alive.
     */
    private static int send(URI uri, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        connection.setRequestProperty("X-API-Key", TAX_KEY);
        if (body != null) {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        try (InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (answer != null) {
                answer.readAllBytes();
            }
        }
        return status;
    }

    /** The verification request for a seeded citizen: its NIK, name and birth date, as the agency was told them. */
    private static byte[] verification(CitizenSeeder.Seeded citizen) {
        return ("{\"nik\":\"" + citizen.nik() + "\",\"fullName\":\"" + citizen.fullName().replace("\"", "\\\"")
                + "\",\"birthDate\":\"" + citizen.birthDate() + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private record Result(long[] latencies, int errors, Map<Integer, Integer> statuses,
                          Map<String, Integer> failures, long start, long lastCompletion, long maxLateSend) {
    }

    private static Result fire(ExecutorService workers, Kind kind, String base, List<CitizenSeeder.Seeded> citizens,
                               int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long period = 1_000_000_000L / rate;
        AtomicLongArray latencies = new AtomicLongArray(total);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        long[] lastCompletion = {0};
        long start = System.nanoTime() + 20_000_000L;
        long maxLate = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            maxLate = Math.max(maxLate, System.nanoTime() - due);
            CitizenSeeder.Seeded citizen = citizens.get(ThreadLocalRandom.current().nextInt(citizens.size()));
            URI uri = kind == Kind.LOOKUP ? URI.create(base + citizen.nik() + "?purpose=TAXPAYER_REGISTRATION")
                    : URI.create(base + "verify");
            byte[] body = kind == Kind.LOOKUP ? null : verification(citizen);
            int index = i;
            // Queued when every connection is busy: the wait counts, from the request's due time.
            workers.execute(() -> {
                int status;
                try {
                    status = send(uri, body);
                } catch (IOException | RuntimeException failure) {
                    failures.merge(failure.getClass().getSimpleName() + ": " + failure.getMessage(), 1,
                            Integer::sum);
                    status = -1;
                }
                long now = System.nanoTime();
                latencies.set(index, now - due);
                statuses.merge(status, 1, Integer::sum);
                if (status != 200) {
                    errors.incrementAndGet();
                }
                synchronized (lastCompletion) {
                    lastCompletion[0] = Math.max(lastCompletion[0], now);
                }
                finished.incrementAndGet();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (finished.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long[] values = new long[total];
        int missing = 0;
        for (int i = 0; i < total; i++) {
            values[i] = latencies.get(i);
            if (values[i] == 0) {
                missing++;
                values[i] = TimeUnit.SECONDS.toNanos(60); // unanswered: counts as at least the wait
            }
        }
        if (missing > 0) {
            errors.addAndGet(missing);
            statuses.merge(0, missing, Integer::sum);
        }
        synchronized (lastCompletion) {
            return new Result(values, errors.get(), statuses, failures, start, lastCompletion[0], maxLate);
        }
    }
}
