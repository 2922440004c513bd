package id.jembatan.bench;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's parameters, read from system properties ({@code -Dbench.*}); the defaults finish in a few minutes
 * on 2 cores.
 */
record BenchSettings(
        int events,
        int warmupEvents,
        int warmupMaxSeconds,
        int rawMessages,
        int rawBatch,
        int rawConsumers,
        int limitSeconds,
        int jmsBatch,
        int httpClients,
        int pacedRate,
        int pacedSeconds,
        int citizens,
        int lookupRate,
        int lookupSeconds,
        int lookupWarmupSeconds,
        int verifyWarmupSeconds,
        boolean separateProcess,
        Path busJar,
        boolean busLauncher,
        String busJvmArgs,
        Map<String, String> busEnvironment,
        String busArgs,
        boolean storeStatements,
        int phaseTimeoutSeconds,
        Path outputDir,
        Set<String> phases) {

    /** Every phase, in the order they run; {@code -Dbench.phases=raw,jms} runs a subset while tuning. */
    static final List<String> ALL_PHASES = List.of("limit", "raw", "jms", "http", "paced", "audit", "lookups",
            "export", "sync");

    static BenchSettings fromSystemProperties() {
        int events = intProperty("bench.events", 20_000);
        return new BenchSettings(
                events,
                nonNegativeIntProperty("bench.warmup.events", 4_000),
                intProperty("bench.warmup.max-seconds", 300),
                intProperty("bench.raw.messages", events),
                intProperty("bench.raw.batch", 200),
                intProperty("bench.raw.consumers", 2),
                intProperty("bench.limit.seconds", 20),
                intProperty("bench.jms.batch", 100),
                intProperty("bench.http.clients", 32),
                intProperty("bench.paced.rate", 150),
                intProperty("bench.paced.seconds", 20),
                intProperty("bench.citizens", 1_000_000),
                intProperty("bench.lookup.rate", 1_000),
                intProperty("bench.lookup.seconds", 20),
                intProperty("bench.lookup.warmup-seconds", 60),
                intProperty("bench.verify.warmup-seconds", 30),
                Boolean.parseBoolean(System.getProperty("bench.separate-process", "true")),
                Path.of(System.getProperty("bench.bus-jar", "../sandboxes/target/jembatan-demo.jar")),
                Boolean.parseBoolean(System.getProperty("bench.bus-launcher", "true")),
                System.getProperty("bench.bus-jvm-args", "").strip(),
                environment(System.getProperty("bench.bus-env", "")),
                System.getProperty("bench.bus-args", "").strip(),
                Boolean.parseBoolean(System.getProperty("bench.store-statements", "false")),
                intProperty("bench.phase-timeout-seconds", 300),
                Path.of(System.getProperty("bench.output-dir", "target/benchmark")),
                phases(System.getProperty("bench.phases", String.join(",", ALL_PHASES))));
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }

    private static Set<String> phases(String list) {
        Set<String> phases = new LinkedHashSet<>();
        for (String p : list.split(",")) {
            String phase = p.strip();
            if (!phase.isEmpty()) {
                if (!ALL_PHASES.contains(phase)) {
                    throw new IllegalArgumentException("bench.phases: unknown phase '" + phase + "' (known: "
                            + ALL_PHASES + ")");
                }
                phases.add(phase);
            }
        }
        return Set.copyOf(phases);
    }

    /**
     * The bus process's environment on top of this one: {@code NAME=value} entries separated by {@code ;} (a value
     * may hold spaces: {@code JAVA_TOOL_OPTIONS=-Xmx200m -Xss512k;MALLOC_ARENA_MAX=2}).
     */
    private static Map<String, String> environment(String list) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String entry : list.split(";")) {
            if (!entry.isBlank()) {
                int equals = entry.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("bench.bus-env: '" + entry + "' is not NAME=value");
                }
                environment.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
            }
        }
        return environment;
    }

    /** {@code bench.warmup.events=0} skips the warm-up (to see what a cold JVM does). */
    private static int nonNegativeIntProperty(String name, int defaultValue) {
        return "0".equals(System.getProperty(name, "").strip()) ? 0 : intProperty(name, defaultValue);
    }

    private static int intProperty(String name, int defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip().replace("_", ""));
            if (parsed <= 0) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }
}
