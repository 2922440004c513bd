package id.jembatan.config;

import org.slf4j.Logger;
import org.springframework.beans.factory.DisposableBean;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Something the bus runs (a broker, a store) being started on a thread of its own as the context's refresh begins,
 * until the bean that owns it takes it ({@link #take}): its start runs beside the building of the rest of the context
 * instead of in front of it. Taken once; started for the inputs {@code K} it was begun with, and thrown away (stopped)
 * if the bean wants other inputs, or if nobody takes it before the context closes (the refresh failed first).
 *
 * @param <K> what it is started from (a record of settings: equal inputs, equal thing)
 * @param <T> what is started
 */
public final class PendingStart<K, T> implements DisposableBean {

    /** How {@code T} is started from {@code K}; its failure is thrown again where it is taken. */
    @FunctionalInterface
    public interface Starter<K, T> {
        T start(K inputs) throws Exception;
    }

    private final String what;
    private final Logger log;
    private final K inputs;
    private final Starter<K, T> starter;
    private final Consumer<T> stop;
    private final CompletableFuture<T> started = new CompletableFuture<>();
    private boolean taken;
    /** How long the start took; written before the future completes, read after it has. */
    private long startMillis;

    private PendingStart(String what, Logger log, K inputs, Starter<K, T> starter, Consumer<T> stop) {
        this.what = what;
        this.log = log;
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.starter = starter;
        this.stop = stop;
    }

    /**
     * Starts {@code starter.start(inputs)} on a daemon thread named {@code thread}.
     *
     * @param what how the log names it ("Broker", "Store")
     * @param log  the logger of what it starts: operators find its lines in one place
     * @param stop how a started one is stopped when nobody takes it
     */
    public static <K, T> PendingStart<K, T> begin(String what, Logger log, String thread, K inputs,
                                                  Starter<K, T> starter, Consumer<T> stop) {
        PendingStart<K, T> pending = new PendingStart<>(what, log, inputs, starter, stop);
        Thread starting = new Thread(() -> {
            long from = System.nanoTime();
            try {
                T result = starter.start(inputs);
                pending.startMillis = (System.nanoTime() - from) / 1_000_000;
                pending.started.complete(result);
            } catch (Exception | Error e) {
                pending.started.completeExceptionally(e);
            }
        }, thread);
        starting.setDaemon(true);
        starting.start();
        return pending;
    }

    /**
     * What was started for {@code wanted}, waiting for its start to finish (its failure is thrown as the start threw
     * it); if {@code wanted} differs from the inputs it was begun with, or it was taken already, it is started here.
     */
    public synchronized T take(K wanted) throws Exception {
        if (taken) {
            return starter.start(wanted);
        }
        taken = true;
        if (!inputs.equals(wanted)) {
            stopWhenStarted();
            return starter.start(wanted);
        }
        long waitFrom = System.nanoTime();
        try {
            T result = started.join();
            log.info("{}: started beside the context in {} ms; the context waited {} ms for it", what, startMillis,
                    (System.nanoTime() - waitFrom) / 1_000_000);
            return result;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
    }

    /** The start under way (for tests). */
    public CompletableFuture<T> started() {
        return started;
    }

    /** Stops it if nobody took it: the context closed, or its refresh failed, before its bean was made. */
    @Override
    public synchronized void destroy() {
        if (!taken) {
            taken = true;
            stopWhenStarted();
        }
    }

    private void stopWhenStarted() {
        T result = started.handle((value, failure) -> value).join();
        if (result != null) {
            stop.accept(result);
        }
    }
}
