package id.jembatan.bench;

import id.jembatan.testkit.BusProcess;
import id.jembatan.testkit.Launcher;
import id.jembatan.testkit.TestBus;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import id.jembatan.config.store.EmbeddedStore;
import id.jembatan.schema.fixtures.CitizenFixtures;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The bus against its limit, in one run: raw Artemis with the bus's broker.xml; ingest to fan-out over JMS and over
 * HTTP through the whole bus; lookups at a fixed rate on a warm index; the bus process's resident memory under
 * that load. Prints a table and writes it as JSON under {@code target/benchmark/}. Not a test: run it with
 * {@code mvn -B -ntp -Pbenchmark -DskipTests verify -pl tests -am} (parameters: {@link BenchSettings}).
 */
public final class BusBenchmark {

    private static final double RAW_FRACTION_TARGET = 0.5;
    private static final double JMS_TARGET = 3_000;
    private static final double HTTP_TARGET = 2_000;
    private static final double LOOKUP_P99_TARGET_MS = 10;
    private static final double RSS_TARGET_MIB = 512;
    private static final double START_TARGET_SECONDS = 10;
    /** 280 M citizens in under 16 hours on one machine (issue 19). */
    private static final double SYNC_TARGET = 5_000;
    /** The warm-up ends once the JIT compiler keeps at most this much of one core busy over a round. */
    private static final double JIT_QUIET_CORES = 0.10;
    /**
     * The lookup phase is one agency (tax) at {@code bench.lookup.rate} lookups, then verifications, per second: far
     * over the bus's default per-agency budgets, which would answer most of it 429. What is measured is the bus, not that limit;
     * {@code bench.bus-args} come after and can set it back.
     */
    private static final String UNLIMITED_LOOKUPS = "--jembatan.quotas.defaults.lookup.per-second=1000000000"
            + " --jembatan.quotas.defaults.lookup.per-day=1000000000000"
            + " --jembatan.quotas.defaults.verification.per-second=1000000000"
            + " --jembatan.quotas.defaults.verification.per-day=1000000000000";

    private BusBenchmark() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(BenchSettings.fromSystemProperties());
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        // JMS and HTTP clients leave non-daemon threads behind; the benchmark is done.
        System.exit(status);
    }

    static void run(BenchSettings s) throws Exception {
        Files.createDirectories(s.outputDir());
        Path out = s.outputDir().toAbsolutePath();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("startedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
        report.put("machine", machine());
        report.put("settings", s);
        CitizenFixtures fixtures = new CitizenFixtures();

        // The bus runs its broker with Spring Boot's logging and the audit log at WARN (application.yaml); the
        // brokers of the limit and raw rows get the same, or audit lines would halve their throughput (STACK-NOTES
        // pitfall 7).
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        logging.getLogger("org.apache.activemq.audit").setLevel(Level.WARN);
        if (s.runs("limit")) {
            log("limit: artemis perf client against the bus's broker.xml, %d s after 5 s warm-up", s.limitSeconds());
            Map<String, Object> limit = PerfClientBench.run(5, s.limitSeconds(), out, s.phaseTimeoutSeconds());
            log("  %s", limit);
            report.put("limit", limit);
        }
        if (s.runs("raw")) {
            log("raw Artemis: %,d messages, one durable queue", s.rawMessages());
            Map<String, Object> raw = RawBrokerBench.run(new RawBrokerBench.Scenario("one durable queue",
                            "bench.raw", RoutingType.ANYCAST, List.of("bench.raw")),
                    BenchEvent.births(fixtures, s.rawMessages()), s.rawBatch(), s.rawConsumers(),
                    s.phaseTimeoutSeconds());
            log("  %s", raw);
            report.put("rawQueue", raw);
            log("raw Artemis: %,d messages, multicast to three durable queues", s.rawMessages());
            Map<String, Object> rawFanOut = RawBrokerBench.run(new RawBrokerBench.Scenario(
                            "multicast to 3 queues", "bench.events", RoutingType.MULTICAST,
                            List.of("tax", "health", "licensing")),
                    BenchEvent.births(fixtures, s.rawMessages()), s.rawBatch(), s.rawConsumers(),
                    s.phaseTimeoutSeconds());
            log("  %s", rawFanOut);
            report.put("rawFanOut", rawFanOut);
        }

        Path dataDir = Files.createTempDirectory("jembatan-bench-");
        try {
            List<CitizenSeeder.Seeded> citizens = List.of();
            boolean lookups = s.runs("lookups");
            if (s.runs("jms") || s.runs("http") || s.runs("paced") || s.runs("audit") || lookups
                    || s.runs("export") || s.runs("sync")) {
                log("starting the bus in this JVM (data in %s, log in %s)", dataDir,
                        out.resolve("bus-inprocess.log"));
                try (InProcessBus bus = InProcessBus.start(dataDir, out.resolve("bus-inprocess.log"),
                        UNLIMITED_LOOKUPS + " " + (s.storeStatements() ? StoreStatements.BUS_ARGUMENT + " " : "")
                                + s.busArgs())) {
                    report.put("inProcessRssAfterStart", Stats.residentMiB("self"));
                    // Every phase runs on a national-sized index: the citizens go in first, in JDBC batches.
                    log("seeding %,d citizens into the master index", s.citizens());
                    long seedStart = System.nanoTime();
                    citizens = CitizenSeeder.seed(bus.context.getBean(DataSource.class), fixtures, s.citizens());
                    double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
                    report.put("seed", Map.of("citizens", s.citizens(), "seconds", seedSeconds,
                            "rowsPerSecond", Math.round(s.citizens() / seedSeconds)));
                    log("  %,d citizens in %.0f s", s.citizens(), seedSeconds);
                    if ((s.runs("jms") || s.runs("http") || s.runs("paced")) && s.warmupEvents() > 0) {
                        report.put("warmup", warmUp(bus, fixtures, s));
                    }
                    if (s.storeStatements()) {
                        StoreStatements.reset(StoreStatements.superuser(bus.context.getBean(EmbeddedStore.class)));
                    }
                    if (s.runs("jms")) {
                        log("(a) JMS ingest: %,d births on civilregistry.events.in", s.events());
                        Map<String, Object> jms = IngestBench.jms(bus, BenchEvent.births(fixtures, s.events()),
                                s.jmsBatch(), s.phaseTimeoutSeconds());
                        log("  %s", jms);
                        report.put("jmsIngest", jms);
                    }
                    if (s.runs("http")) {
                        log("(b) HTTP ingest: %,d births from %d clients", s.events(), s.httpClients());
                        Map<String, Object> http = IngestBench.http(bus, BenchEvent.births(fixtures, s.events()),
                                s.httpClients(), s.phaseTimeoutSeconds());
                        log("  %s", http);
                        report.put("httpIngest", http);
                    }
                    if (s.runs("paced")) {
                        int n = s.pacedRate() * s.pacedSeconds();
                        log("(c) JMS at a steady %,d births/s for %d s (%,d births), one per transaction",
                                s.pacedRate(), s.pacedSeconds(), n);
                        Map<String, Object> paced = IngestBench.jmsPaced(bus, BenchEvent.births(fixtures, n),
                                s.pacedRate(), s.phaseTimeoutSeconds());
                        log("  %s", paced);
                        report.put("jmsPaced", paced);
                    }
                    report.put("inProcessRssAfterIngest", Stats.residentMiB("self"));
                    if (s.storeStatements()) {
                        long events = (s.runs("jms") ? s.events() : 0) + (s.runs("http") ? s.events() : 0)
                                + (s.runs("paced") ? (long) s.pacedRate() * s.pacedSeconds() : 0);
                        Map<String, Object> statements = StoreStatements.since(
                                StoreStatements.superuser(bus.context.getBean(EmbeddedStore.class)),
                                Math.max(events, 1));
                        log("  PostgreSQL during the ingest rows: %.1f statements per event (pg_stat_statements,"
                                + " in the JSON report)", (double) statements.get("statementsPerEvent"));
                        report.put("storeStatements", statements);
                    }
                    if (s.runs("audit")) {
                        log("audit chain: 2,000 appends one after another, 2,000 from 4 threads, then a verification");
                        Map<String, Object> audit = AuditChainBench.run(bus.context, fixtures, 2000);
                        log("  %s", audit);
                        report.put("auditChain", audit);
                    }
                    if (s.runs("export")) {
                        log("$export: health exports the whole index (%,d citizens and the phases' births) as"
                                + " NDJSON Patients", s.citizens());
                        Map<String, Object> export = ExportBench.run(bus, s.phaseTimeoutSeconds());
                        log("  %s", export);
                        report.put("export", export);
                    }
                    if (s.runs("sync")) {
                        log("sync: the initial load of the tax office (fast sink), every citizen of the index");
                        // A national index takes longer than one ingest phase: two hours at least.
                        Map<String, Object> sync = SyncBench.run(bus, "tax", Math.max(s.phaseTimeoutSeconds(), 7200));
                        log("  %s", sync);
                        report.put("sync", sync);
                    }
                    if (lookups && !s.separateProcess()) {
                        log("lookups in this JVM: %,d/s for %d s", s.lookupRate(), s.lookupSeconds());
                        Map<String, Object> result = LookupBench.run(LookupBench.Kind.LOOKUP, bus.httpPort,
                                citizens, s.lookupRate(), s.lookupWarmupSeconds(), s.lookupSeconds(),
                                () -> Stats.residentMiB("self"), bus.cpu, true, s.storeStatements()
                                        ? StoreStatements.superuser(bus.context.getBean(EmbeddedStore.class)) : null);
                        result.put("process", "in-process: VmRSS of the benchmark JVM, bus and load generator "
                                + "together");
                        log("  %s", result);
                        report.put("lookups", result);
                        report.put("verifications", verifications(s, bus.httpPort, citizens,
                                () -> Stats.residentMiB("self"), bus.cpu, true, s.storeStatements()
                                        ? StoreStatements.superuser(bus.context.getBean(EmbeddedStore.class)) : null));
                    }
                }
            }
            if (lookups && s.separateProcess()) {
                TestBus lookupBus = TestBus.named("bench-lookups", 0).dataDir(dataDir).withDemoAgenciesOnAnyPort()
                        .withArguments(UNLIMITED_LOOKUPS + " "
                                + (s.storeStatements() ? StoreStatements.BUS_ARGUMENT + " " : "") + s.busArgs());
                Path launcher = null;
                Double firstStartSeconds = null;
                if (s.busLauncher()) {
                    // The launcher README runs, on a fresh copy: its first start extracts the jar and makes the
                    // class-data-sharing archive (a training run), the second is the start every later one is.
                    launcher = Launcher.freshCopy(s.busJar(), out.resolve("launcher"));
                    log("starting the bus as its own process, first start after a build: %s JAVA_OPTS='%s' %s",
                            s.busEnvironment(), s.busJvmArgs(), launcher);
                    long first = System.nanoTime();
                    try (BusProcess bus = lookupBus.startLauncher(launcher, out.resolve("bus-process-first.out"),
                            launcherEnvironment(s), s.phaseTimeoutSeconds())) {
                        firstStartSeconds = (System.nanoTime() - first) / 1e9;
                        log("  first start (extract, training run, start): %.1f s", firstStartSeconds);
                    }
                }
                log("starting the bus as its own process: %s", launcher != null
                        ? s.busEnvironment() + " JAVA_OPTS='" + s.busJvmArgs() + "' " + launcher
                        : s.busEnvironment() + " java " + s.busJvmArgs() + " -jar " + s.busJar());
                long started = System.nanoTime();
                try (BusProcess bus = launcher != null
                        ? lookupBus.startLauncher(launcher, out.resolve("bus-process.out"), launcherEnvironment(s),
                                s.phaseTimeoutSeconds())
                        : lookupBus.startProcess(s.busJar(), out.resolve("bus-process.out"), s.busJvmArgs(),
                                s.busEnvironment(), s.phaseTimeoutSeconds())) {
                    double startSeconds = (System.nanoTime() - started) / 1e9;
                    Supplier<Map<String, Double>> rss = () -> Stats.residentMiB(Long.toString(bus.pid()));
                    Map<String, Double> idle = rss.get();
                    log("lookups against pid %d: %,d/s for %d s after %d s warm-up", bus.pid(), s.lookupRate(),
                            s.lookupSeconds(), s.lookupWarmupSeconds());
                    BusCpu busCpu = new BusCpu(Long.toString(bus.pid()), dataDir);
                    DataSource statements = s.storeStatements() ? StoreStatements.superuser(dataDir) : null;
                    Map<String, Object> result = LookupBench.run(LookupBench.Kind.LOOKUP, bus.httpPort(), citizens,
                            s.lookupRate(), s.lookupWarmupSeconds(), s.lookupSeconds(), rss, busCpu, false,
                            statements);
                    result.put("process", "separate: " + s.busEnvironment() + (launcher != null
                            ? " JAVA_OPTS='" + s.busJvmArgs() + "' " + launcher.getFileName() + " (the launcher)"
                            : " java " + s.busJvmArgs() + " -jar " + s.busJar().getFileName())
                            + " (pid " + bus.pid() + "), VmRSS from /proc/<pid>/status");
                    result.put("rssBeforeLoad", idle);
                    result.put("busStartSeconds", startSeconds);
                    result.put("busStartedBy", launcher != null ? "launcher" : "java -jar");
                    if (firstStartSeconds != null) {
                        result.put("busFirstStartSeconds", firstStartSeconds);
                    }
                    report.put("lookups", result);
                    log("  %s", result);
                    report.put("verifications", verifications(s, bus.httpPort(), citizens, rss, busCpu, false,
                            statements));
                }
            }
        } finally {
            deleteQuietly(dataDir);
        }
        report.put("finishedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
        report.put("loadAverageAtEnd", loadAverage());

        String table = table(report);
        System.out.println();
        System.out.println(table);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        report.put("table", table.lines().toList());
        json.writeValue(out.resolve("bus-benchmark.json").toFile(), report);
        Files.writeString(out.resolve("bus-benchmark.txt"), table);
        log("written %s and bus-benchmark.txt", out.resolve("bus-benchmark.json"));
    }

    /** The bus process's environment for the launcher: the benchmark's, with its JVM options as JAVA_OPTS. */
    private static Map<String, String> launcherEnvironment(BenchSettings s) {
        Map<String, String> environment = new LinkedHashMap<>(s.busEnvironment());
        if (!s.busJvmArgs().isBlank()) {
            environment.put("JAVA_OPTS", s.busJvmArgs());
        }
        return environment;
    }

    /**
     * Identity verifications at the lookups' rate on the bus just measured (warm from them, then a warm-up of their
     * own: the verification's own code, its JSON body, was still being compiled after 5 s), each of
     * a seeded citizen with its own name and birth date (MATCH).
     */
    private static Map<String, Object> verifications(BenchSettings s, int httpPort,
                                                     List<CitizenSeeder.Seeded> citizens,
                                                     Supplier<Map<String, Double>> rss, BusCpu busCpu,
                                                     boolean inThisJvm, DataSource statements)
            throws InterruptedException {
        log("verifications: %,d/s for %d s after %d s warm-up", s.lookupRate(), s.lookupSeconds(),
                s.verifyWarmupSeconds());
        Map<String, Object> result = LookupBench.run(LookupBench.Kind.VERIFY, httpPort, citizens, s.lookupRate(),
                s.verifyWarmupSeconds(),
                s.lookupSeconds(), rss, busCpu, inThisJvm, statements);
        log("  %s", result);
        return result;
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r) {
        Map<String, Object> raw = (Map<String, Object>) r.get("rawQueue");
        Map<String, Object> rawFanOut = (Map<String, Object>) r.get("rawFanOut");
        Map<String, Object> jms = (Map<String, Object>) r.get("jmsIngest");
        Map<String, Object> http = (Map<String, Object>) r.get("httpIngest");
        Map<String, Object> paced = (Map<String, Object>) r.get("jmsPaced");
        Map<String, Object> lookups = (Map<String, Object>) r.get("lookups");
        Map<String, Object> limit = (Map<String, Object>) r.get("limit");
        // The ceiling the bus's rows are read against: the broker's own perf client when it ran, else the raw row.
        double rawRate = limit != null ? (double) limit.get("messagesPerSecond")
                : raw == null ? Double.NaN : (double) raw.get("messagesPerSecond");

        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Jembatan bus benchmark, %s, %s%n", r.get("startedAt"),
                r.get("machine")));
        t.append(String.format(Locale.ROOT, "%-58s | %-30s | %-7s | %s%n", "measure", "figure", "x limit",
                "target"));
        t.append("-".repeat(58)).append("-+-").append("-".repeat(30)).append("-+-").append("-".repeat(7))
                .append("-+-").append("-".repeat(36)).append('\n');
        if (limit != null) {
            row(t, "limit: artemis perf client, persistent 1 KiB, 100 pending", rate(rawRate, "msg/s"), "1.00",
                    "the limit (bus's broker.xml, TCP)");
        }
        if (raw != null) {
            double rawQueueRate = (double) raw.get("messagesPerSecond");
            row(t, "raw Artemis, 1 durable queue (tx " + raw.get("producerTransaction") + " in, tx 1 out x"
                    + raw.get("consumersPerQueue") + ")", rate(rawQueueRate, "msg/s"), ratio(rawQueueRate, rawRate),
                    limit == null ? "the limit" : "the bus's pattern: one commit per delivery");
            row(t, "    CPU per message (this JVM: broker and clients)",
                    cpu((double) raw.get("cpuMillisPerMessage")), "", "");
            row(t, "raw Artemis, multicast to 3 queues, tx 1 out x" + rawFanOut.get("consumersPerQueue")
                    + " each", rate((double) rawFanOut.get("messagesPerSecond"), "msg/s"), "", "for comparison");
        }
        Map<String, Object> seed = (Map<String, Object>) r.get("seed");
        if (seed != null) {
            row(t, String.format(Locale.ROOT, "index of %,d citizens, every phase below runs on it",
                            (int) seed.get("citizens")),
                    String.format(Locale.ROOT, "seeded %,d rows/s (COPY)", (long) seed.get("rowsPerSecond")), "",
                    "");
        }
        if (jms != null) {
            double jmsRate = (double) jms.get("eventsPerSecond");
            row(t, "(a) JMS ingest -> all 3 agencies", rate(jmsRate, "events/s"), ratio(jmsRate, rawRate),
                    verdict(jmsRate >= RAW_FRACTION_TARGET * rawRate && jmsRate >= JMS_TARGET)
                            + " >= 0.5 x limit and >= 3,000/s");
            row(t, "    ingested (taken off the queue, applied, committed)",
                    rate((double) jms.get("ingestedPerSecond"), "events/s"),
                    ratio((double) jms.get("ingestedPerSecond"), rawRate), "");
            row(t, "    send -> last of 3 agencies, p50/p95/p99",
                    latency((Map<String, Double>) jms.get("endToEndMillis")), "", "");
            row(t, "    accepted -> last of 3 agencies, p50/p95/p99",
                    latency((Map<String, Double>) jms.get("acceptedToLastAgencyMillis")), "", "");
            cpuRows(t, jms, "");
        }
        if (http != null) {
            double httpAccepted = (double) http.get("acceptedPerSecond");
            double httpRate = (double) http.get("eventsPerSecond");
            row(t, "(b) HTTP ingest, " + http.get("clients") + " clients: 202 answers",
                    rate(httpAccepted, "events/s"), ratio(httpAccepted, rawRate),
                    verdict(httpAccepted >= HTTP_TARGET) + " >= 2,000/s");
            row(t, "    POST response time p50/p95/p99",
                    latency((Map<String, Double>) http.get("httpResponseMillis")), "", "");
            row(t, "    -> all 3 agencies", rate(httpRate, "events/s"), ratio(httpRate, rawRate), "");
            row(t, "    send -> last of 3 agencies, p50/p95/p99",
                    latency((Map<String, Double>) http.get("endToEndMillis")), "", "");
            cpuRows(t, http, "");
        }
        if (paced != null) {
            Map<String, Map<String, Double>> perAgency = (Map<String, Map<String, Double>>) paced.get(
                    "sendToAgencyMillis");
            row(t, "(c) JMS at a steady " + paced.get("ratePerSecond") + "/s: send -> last of 3, p50/p95/p99",
                    latency((Map<String, Double>) paced.get("endToEndMillis")), "", "no target: latency");
            for (String agency : List.of("tax", "health", "licensing")) {
                row(t, "    send -> " + agency + (agency.equals("licensing") ? " (batched drop files)" : "")
                        + ", p50/p95/p99", latency(perAgency.get(agency)), "", "");
            }
            cpuRows(t, paced, "<= 3 ms");
            row(t, "    cores busy: during the phase / before it, idle", String.format(Locale.ROOT, "%.2f / %.2f",
                    (double) paced.get("cpuCoresBusy"), (double) paced.get("idleCoresBusy")), "", "");
        }
        Map<String, Object> sync = (Map<String, Object>) r.get("sync");
        if (sync != null) {
            double syncRate = (double) sync.get("citizensPerSecond");
            row(t, String.format(Locale.ROOT, "sync rate to one agency (%s), %,d citizens, fast sinks",
                            sync.get("agency"), (long) sync.get("citizens")), rate(syncRate, "citizens/s"), "",
                    verdict(syncRate >= SYNC_TARGET) + " >= 5,000 citizens/s");
            row(t, "    CPU per citizen (this JVM and its PostgreSQL)",
                    cpu((double) sync.get("cpuMillisPerCitizen")), "", "");
        }
        if (lookups != null) {
            Map<String, Double> lookupLatency = (Map<String, Double>) lookups.get("latencyMillis");
            double rssMax = (double) lookups.get("rssMaxMiB");
            row(t, "lookups " + lookups.get("rate") + "/s open loop, " + lookups.get("seconds") + " s: p50/p99",
                    String.format(Locale.ROOT, "%.2f / %.2f ms, %s errors", lookupLatency.get("p50"),
                            lookupLatency.get("p99"), lookups.get("errors")), "",
                    verdict(lookupLatency.get("p99") < LOOKUP_P99_TARGET_MS && (int) lookups.get("errors") == 0)
                            + " p99 < 10 ms");
            row(t, "    answered per second", rate((double) lookups.get("achievedPerSecond"), "/s"), "", "");
            row(t, "    CPU per lookup (bus process + its PostgreSQL)",
                    cpu((double) lookups.get("cpuMillisPerLookup")), "", "<= 0.5 ms");
            row(t, "    of which PostgreSQL", cpu((double) lookups.get("storeCpuMillisPerLookup")), "", "");
            row(t, "    of which the bus's JIT compiler, still compiling",
                    cpu((double) lookups.get("jitCpuMillisPerLookup")), "", "");
            if (lookups.get("loadGeneratorCpuCoresBusy") != null) {
                row(t, "    cores busy: bus process / load generator", String.format(Locale.ROOT, "%.2f / %.2f",
                        (double) lookups.get("cpuCoresBusy"), (double) lookups.get("loadGeneratorCpuCoresBusy")),
                        "", "");
            }
            Map<String, Object> verify = (Map<String, Object>) r.get("verifications");
            if (verify != null) {
                Map<String, Double> verifyLatency = (Map<String, Double>) verify.get("latencyMillis");
                row(t, "verifications " + verify.get("rate") + "/s open loop, " + verify.get("seconds")
                                + " s: p50/p99", String.format(Locale.ROOT, "%.2f / %.2f ms, %s errors",
                                verifyLatency.get("p50"), verifyLatency.get("p99"), verify.get("errors")), "",
                        verdict(verifyLatency.get("p99") < LOOKUP_P99_TARGET_MS && (int) verify.get("errors") == 0)
                                + " p99 < 10 ms");
                row(t, "    CPU per verification (bus process + its PostgreSQL)",
                        cpu((double) verify.get("cpuMillisPerLookup")), "", "<= 0.5 ms");
                row(t, "    of which PostgreSQL", cpu((double) verify.get("storeCpuMillisPerLookup")), "", "");
            }
            if (verify != null) {
                rssMax = Math.max(rssMax, (double) verify.get("rssMaxMiB"));
            }
            row(t, "bus RSS under that load, max (" + (lookups.get("process").toString().startsWith("separate")
                            ? "own process" : "in-process, incl. benchmark") + ")",
                    String.format(Locale.ROOT, "%.0f MiB", rssMax), "",
                    verdict(rssMax < RSS_TARGET_MIB) + " < 512 MiB");
            if (lookups.get("busStartSeconds") != null) {
                double start = (double) lookups.get("busStartSeconds");
                boolean byLauncher = "launcher".equals(lookups.get("busStartedBy"));
                row(t, byLauncher ? "bus start-up, own process (launcher to health UP)"
                                : "bus start-up, own process (java -jar to health UP)",
                        String.format(Locale.ROOT, "%.1f s", start), "", verdict(start < START_TARGET_SECONDS)
                                + " < 10 s");
                if (lookups.get("busFirstStartSeconds") != null) {
                    row(t, "    first start after a build (extract, training, start)",
                            String.format(Locale.ROOT, "%.1f s", (double) lookups.get("busFirstStartSeconds")), "",
                            "(once per build and JDK)");
                }
            }
        }
        Map<String, Object> export = (Map<String, Object>) r.get("export");
        if (export != null) {
            row(t, String.format(Locale.ROOT, "$export rate: %,d Patients, kick-off -> manifest",
                            (long) export.get("citizens")),
                    String.format(Locale.ROOT, "%s in %.0f s", rate((double) export.get("citizensPerSecond"),
                            "citizens/s"), (double) export.get("exportSeconds")), "", "no target: a figure");
            row(t, "    CPU per citizen (JVM + PostgreSQL); of which PostgreSQL",
                    String.format(Locale.ROOT, "%s; %s", cpu((double) export.get("cpuMillisPerCitizen")),
                            cpu((double) export.get("storeCpuMillisPerCitizen"))), "", "");
            row(t, "    download of the " + export.get("files") + " NDJSON files",
                    String.format(Locale.ROOT, "%.0f MiB at %.0f MiB/s", (long) export.get("bytes") / 1048576.0,
                            (double) export.get("downloadMiBPerSecond")), "", "");
        }
        t.append(String.format(Locale.ROOT, "load average at the end: %s (a shared machine makes these figures "
                + "indicative only)%n", r.get("loadAverageAtEnd")));
        return t.toString();
    }

    /**
     * Warms the in-process bus until the JIT compiler is quiet, unmeasured: rounds of the measured phases' own
     * traffic (a JMS burst, an HTTP burst and, when row (c) runs, 5 s at its steady rate one event per transaction,
     * which takes other paths: batches of one), until a round's compilation kept at most {@link #JIT_QUIET_CORES} of
     * a core busy, or {@code bench.warmup.max-seconds} have passed. A fresh JVM on 2 cores spends minutes compiling
     * this much code: on 5 December a profile of the rows after one round of 4,000 births each way still showed the
     * compiler threads at 40-50% of the JVM's thread CPU, and row (c) cost 10.8 ms of CPU per event after that
     * warm-up against 6.7 ms after 20,000 each way. The rows below report what the compiler still took
     * ({@code jitCpuMillisPerEvent}), so a figure can be read with it.
     */
    private static Map<String, Object> warmUp(InProcessBus bus, CitizenFixtures fixtures, BenchSettings s)
            throws Exception {
        log("warm-up: rounds of %,d births over JMS and %,d over HTTP%s, not measured, until the JIT compiler uses at"
                + " most %.2f of a core (at most %d s)", s.warmupEvents(), s.warmupEvents(),
                s.runs("paced") ? " and 5 s at " + s.pacedRate() + "/s one per transaction" : "", JIT_QUIET_CORES,
                s.warmupMaxSeconds());
        List<Map<String, Object>> rounds = new ArrayList<>();
        long deadline = System.nanoTime() + s.warmupMaxSeconds() * 1_000_000_000L;
        double jitCores;
        do {
            BusCpu.Sample before = bus.cpu.sample();
            long start = System.nanoTime();
            Map<String, Object> round = new LinkedHashMap<>();
            round.put("jmsPerSecond", IngestBench.jms(bus, BenchEvent.births(fixtures, s.warmupEvents()),
                    s.jmsBatch(), s.phaseTimeoutSeconds()).get("eventsPerSecond"));
            round.put("httpPerSecond", IngestBench.http(bus, BenchEvent.births(fixtures, s.warmupEvents()),
                    s.httpClients(), s.phaseTimeoutSeconds()).get("eventsPerSecond"));
            if (s.runs("paced")) {
                round.put("pacedPerSecond", IngestBench.jmsPaced(bus, BenchEvent.births(fixtures, s.pacedRate() * 5),
                        s.pacedRate(), s.phaseTimeoutSeconds(), false).get("eventsPerSecond"));
            }
            BusCpu.Sample spent = bus.cpu.sample().since(before);
            long elapsed = System.nanoTime() - start;
            jitCores = spent.jitNanos() / (double) elapsed;
            round.put("seconds", Math.round(elapsed / 1e8) / 10.0);
            round.put("jitCoresBusy", Math.round(jitCores * 100) / 100.0);
            round.put("cpuCoresBusy", Math.round(spent.totalNanos() * 100.0 / elapsed) / 100.0);
            rounds.add(round);
            log("  warm-up round %d: %s", rounds.size(), round);
        } while (jitCores > JIT_QUIET_CORES && System.nanoTime() < deadline);
        return Map.of("rounds", rounds, "jitQuietCores", JIT_QUIET_CORES);
    }

    /** CPU per event of an ingest phase: the JVM (bus, sinks, load generator) and the embedded PostgreSQL. */
    private static void cpuRows(StringBuilder t, Map<String, Object> phase, String target) {
        row(t, "    CPU per event, JVM (bus, sinks, loader) + PostgreSQL",
                cpu((double) phase.get("cpuMillisPerEvent")), "", target);
        row(t, "    of which PostgreSQL", cpu((double) phase.get("storeCpuMillisPerEvent")), "", "");
        row(t, "    of which the JIT compiler, still compiling", cpu((double) phase.get("jitCpuMillisPerEvent")), "",
                "");
    }

    private static void row(StringBuilder t, String measure, String figure, String ratio, String target) {
        t.append(String.format(Locale.ROOT, "%-58s | %-30s | %-7s | %s%n", measure, figure, ratio, target).stripTrailing())
                .append('\n');
    }

    private static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    private static String cpu(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }

    private static String ratio(double bus, double raw) {
        if (Double.isNaN(raw)) {
            return "";
        }
        double ratio = bus / raw;
        return String.format(Locale.ROOT, ratio < 0.1 ? "%.3f" : "%.2f", ratio);
    }

    private static String latency(Map<String, Double> ms) {
        String format = ms.get("p99") < 100 ? "%,.1f / %,.1f / %,.1f ms" : "%,.0f / %,.0f / %,.0f ms";
        return String.format(Locale.ROOT, format, ms.get("p50"), ms.get("p95"), ms.get("p99"));
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, "
                + Math.round(Runtime.getRuntime().maxMemory() / 1048576.0) + " MiB max heap (benchmark JVM), Java "
                + System.getProperty("java.version") + ", load average at start " + loadAverage();
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %tT] " + format + "%n",
                Stream.concat(Stream.of(new java.util.Date()), Stream.of(args)).toArray());
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
