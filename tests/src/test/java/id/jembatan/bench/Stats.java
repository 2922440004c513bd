package id.jembatan.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of latencies (nanoseconds in, milliseconds out) and resident memory from {@code /proc}. */
final class Stats {

    private Stats() {
    }

    /** p50, p95, p99, p99.9 and max in milliseconds of the non-negative values (negative ones mark "none"). */
    static Map<String, Double> latencyMillis(long[] nanos) {
        long[] values = Arrays.stream(nanos).filter(v -> v >= 0).sorted().toArray();
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("count", (double) values.length);
        if (values.length == 0) {
            return result;
        }
        result.put("p50", millis(percentile(values, 0.50)));
        result.put("p95", millis(percentile(values, 0.95)));
        result.put("p99", millis(percentile(values, 0.99)));
        result.put("p999", millis(percentile(values, 0.999)));
        result.put("max", millis(values[values.length - 1]));
        return result;
    }

    /** The smallest value at or above the given fraction of the sorted values (nearest-rank). */
    static long percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    /**
     * CPU time (user + system) a process has used so far, in nanoseconds, from /proc/<pid>/stat ("self" for this
     * JVM). CPU per event is the figure a shared machine disturbs least: others' load stretches the wall clock, not
     * the work done per event.
     */
    static long cpuNanos(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /** USER_HZ: 100 on every Linux architecture Java runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** VmRSS and VmHWM (peak) of a process in MiB, from /proc/<pid>/status; "self" for this JVM. */
    static Map<String, Double> residentMiB(String pid) {
        Map<String, Double> result = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    String[] parts = line.split("\\s+");
                    result.put(parts[0].substring(0, parts[0].length() - 1),
                            Math.round(Long.parseLong(parts[1]) / 1024.0 * 10) / 10.0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/status", e);
        }
        return result;
    }
}
