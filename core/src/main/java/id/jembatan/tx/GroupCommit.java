package id.jembatan.tx;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Group commit: callers on many threads hand in one item each and wait; one writer thread takes every item waiting
 * (up to a limit), applies them together in one database transaction and only after its commit lets each caller go
 * on with its own outcome. Concurrent callers share a commit (and any lock the transaction takes) instead of queueing
 * for it one commit at a time, and each caller still returns only once its item is durable.
 *
 * <p>The group's function returns one outcome per item: a value, or the exception that refuses that item alone
 * (it must leave the transaction usable, e.g. by a savepoint). When the group fails as a whole (the function or the
 * commit throws), each of its items is tried again in a transaction of its own, so one bad item never fails the
 * others; except when the database is busy or unreachable, which fails every item of the group with that error.
 *
 * @param <I> what a caller hands in
 * @param <R> what it gets back
 */
public final class GroupCommit<I, R> implements AutoCloseable {

    /** The outcome of one item: its value, or why it alone was refused. */
    public record Outcome<R>(R value, RuntimeException failure) {

        public static <R> Outcome<R> of(R value) {
            return new Outcome<>(value, null);
        }

        public static <R> Outcome<R> failed(RuntimeException failure) {
            return new Outcome<>(null, failure);
        }
    }

    private record Waiting<I, R>(I item, CompletableFuture<R> done) {
    }

    private final String name;
    private final int maxGroup;
    private final TransactionTemplate transaction;
    private final Function<List<I>, List<Outcome<R>>> apply;
    private final BlockingQueue<Waiting<I, R>> waiting = new LinkedBlockingQueue<>();
    private volatile Thread writer;
    private volatile boolean closed;

    /**
     * @param name        the writer thread's name
     * @param maxGroup    most items in one transaction (bounds how long its locks are held)
     * @param transaction the transaction each group runs in
     * @param apply       applies a group in order, inside the transaction: one outcome per item
     */
    public GroupCommit(String name, int maxGroup, TransactionTemplate transaction,
                       Function<List<I>, List<Outcome<R>>> apply) {
        this.name = name;
        this.maxGroup = maxGroup;
        this.transaction = transaction;
        this.apply = apply;
    }

    /**
     * Hands in {@code item} and waits until the transaction that applied it has committed.
     *
     * @return its value
     * @throws RuntimeException the exception that refused it, or the one that failed its transaction (a
     *                          {@link DataAccessException} as itself, so that a busy database still reads as one);
     *                          nothing of the item was committed
     */
    public R submit(I item) {
        Waiting<I, R> w = new Waiting<>(item, new CompletableFuture<>());
        startWriter();
        waiting.add(w);
        if (closed) {
            w.done().completeExceptionally(new IllegalStateException(name + " is shut down"));
        }
        try {
            return w.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(name + " failed: " + e.getCause(), e.getCause());
        }
    }

    private void startWriter() {
        if (writer != null || closed) {
            return;
        }
        synchronized (this) {
            if (writer == null && !closed) {
                Thread t = new Thread(this::writeGroups, name);
                t.setDaemon(true);
                t.start();
                writer = t;
            }
        }
    }

    private void writeGroups() {
        List<Waiting<I, R>> group = new ArrayList<>(maxGroup);
        while (!closed) {
            try {
                group.add(waiting.take());
            } catch (InterruptedException e) {
                break;
            }
            waiting.drainTo(group, maxGroup - 1);
            try {
                complete(group, transaction.execute(status -> apply.apply(group.stream().map(Waiting::item).toList())));
            } catch (Error fatal) {
                // The one writer must outlive what killed this group (a StackOverflowError, an OutOfMemoryError
                // while the heap is short): were it to die, every later caller would wait for ever. The group's
                // transaction was rolled back; its callers hear why.
                IllegalStateException failure = failed(fatal);
                group.forEach(w -> w.done().completeExceptionally(failure));
            } catch (RuntimeException groupFailed) {
                if (group.size() == 1 || unavailable(groupFailed)) {
                    // A busy or unreachable database fails every item alike: trying each alone would only make
                    // every caller wait for it again before hearing so.
                    group.forEach(w -> w.done().completeExceptionally(groupFailed));
                } else {
                    for (Waiting<I, R> w : group) {
                        try {
                            complete(List.of(w), transaction.execute(status -> apply.apply(List.of(w.item()))));
                        } catch (RuntimeException e) {
                            w.done().completeExceptionally(e);
                        } catch (Error fatal) {
                            w.done().completeExceptionally(failed(fatal));
                        }
                    }
                }
            }
            group.clear();
        }
        List<Waiting<I, R>> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(w -> w.done().completeExceptionally(new IllegalStateException(name + " is shut down")));
    }

    private IllegalStateException failed(Error fatal) {
        return new IllegalStateException(name + " failed: " + fatal, fatal);
    }

    /**
     * Whether {@code e} says the database is busy or unreachable rather than that an item was wrong: a failure every
     * item of a group shares, which trying each item alone cannot mend.
     */
    public static boolean unavailable(RuntimeException e) {
        return e instanceof TransientDataAccessException || e instanceof DataAccessResourceFailureException;
    }

    private static <I, R> void complete(List<Waiting<I, R>> group, List<Outcome<R>> outcomes) {
        for (int i = 0; i < group.size(); i++) {
            Outcome<R> outcome = outcomes.get(i);
            if (outcome.failure() != null) {
                group.get(i).done().completeExceptionally(outcome.failure());
            } else {
                group.get(i).done().complete(outcome.value());
            }
        }
    }

    /** Items handed in and not yet taken by the writer (for the tests of the grouping). */
    int waiting() {
        return waiting.size();
    }

    /** Stops the writer; items still waiting fail (their callers were not answered). */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        Thread t = writer;
        if (t != null) {
            t.interrupt();
            t.join(5_000);
        }
    }
}
