package id.jembatan.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU a bus costs: its JVM and the embedded PostgreSQL server it runs for its store. The server is not the JVM's
 * child ({@code pg_ctl} starts it detached), so it is found by the pid in its {@code postmaster.pid}
 * ({@code <data-dir>/db/postgres}); the postmaster's own time, its live descendants' (the backends, the WAL writer,
 * the checkpointer) and, through the postmaster's {@code cutime}/{@code cstime}, the time of every backend that
 * ended since it started. A difference of two samples is what the bus and its store spent between them.
 */
final class BusCpu {

    /** USER_HZ: 100 on every Linux architecture Java runs on. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private final String jvmPid;
    private final Path postmasterPidFile;

    /**
     * @param jvmPid  the bus's JVM ("self" when the bus runs in this JVM)
     * @param dataDir the bus's {@code jembatan.data-dir}
     */
    BusCpu(String jvmPid, Path dataDir) {
        this.jvmPid = jvmPid;
        this.postmasterPidFile = dataDir.resolve("db").resolve("postgres").resolve("postmaster.pid");
    }

    /** What the JVM and the store have spent so far, in nanoseconds. */
    /**
     * @param jitNanos of {@code jvmNanos}, the CPU of the JIT compiler's threads ({@code C1/C2 CompilerThread},
     *                 live ones: HotSpot may end an idle one, and its time then drops out of this figure)
     */
    record Sample(long jvmNanos, long storeNanos, long jitNanos) {

        long totalNanos() {
            return jvmNanos + storeNanos;
        }

        /** What was spent from {@code earlier} to this sample. */
        Sample since(Sample earlier) {
            return new Sample(jvmNanos - earlier.jvmNanos, storeNanos - earlier.storeNanos,
                    Math.max(0, jitNanos - earlier.jitNanos));
        }
    }

    Sample sample() {
        return new Sample(ticks(stat(jvmPid), false) * NANOS_PER_TICK, storeNanos(), compilerNanos());
    }

    /** The CPU of the JVM's live JIT compiler threads, from {@code /proc/<pid>/task/<tid>/stat}. */
    private long compilerNanos() {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", jvmPid, "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    ticks += ticks(stat.substring(stat.lastIndexOf(')') + 2).split(" "), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of " + jvmPid, e);
        }
        return ticks * NANOS_PER_TICK;
    }

    /** 0 when there is no embedded store (an external PostgreSQL is not this machine's to count). */
    private long storeNanos() {
        String postmaster;
        try {
            postmaster = Files.readAllLines(postmasterPidFile).get(0).strip();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + postmasterPidFile, e);
        }
        String[] postmasterStat = stat(postmaster);
        if (postmasterStat == null) {
            return 0;
        }
        long ticks = ticks(postmasterStat, true);
        for (String pid : descendants(postmaster)) {
            String[] fields = stat(pid);
            if (fields != null) { // ended meanwhile: its time is in the postmaster's cutime now or soon
                ticks += ticks(fields, true);
            }
        }
        return ticks * NANOS_PER_TICK;
    }

    /** utime + stime, and with {@code reaped} the children's that ended (cutime + cstime). */
    private static long ticks(String[] fields, boolean reaped) {
        if (fields == null) {
            throw new IllegalStateException("the bus's JVM is gone");
        }
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (reaped) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks;
    }

    /** Every process below {@code root}, from the parent pids in {@code /proc/<pid>/stat}. */
    private static List<String> descendants(String root) {
        Map<String, List<String>> children = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.map(p -> p.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .forEach(pid -> {
                        String[] fields = stat(pid);
                        if (fields != null) {
                            children.computeIfAbsent(fields[1], k -> new ArrayList<>()).add(pid);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        List<String> found = new ArrayList<>();
        Deque<String> next = new ArrayDeque<>(List.of(root));
        while (!next.isEmpty()) {
            for (String child : children.getOrDefault(next.pop(), List.of())) {
                found.add(child);
                next.push(child);
            }
        }
        return found;
    }

    /**
     * The fields of {@code /proc/<pid>/stat} after the command name (state is [0], ppid [1], utime [11]), or null
     * when the process is gone.
     */
    private static String[] stat(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // a process that ended between listing and reading answers ESRCH as an IOException
            return null;
        }
    }
}
