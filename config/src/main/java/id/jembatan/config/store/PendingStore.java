package id.jembatan.config.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An embedded store being started on a thread of its own ({@link EarlyStoreStart}), until the store bean takes it.
 * Taken once; what was started and never taken (the context failed first, or the settings changed in between) is
 * stopped.
 */
final class PendingStore implements DisposableBean {

    static final String BEAN_NAME = "jembatan.pendingEmbeddedStore";

    /** Under the store's name: operators find the store's lines in one place. */
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    private final StoreStart start;
    private final CompletableFuture<EmbeddedStore> store = new CompletableFuture<>();
    private boolean taken;
    /** How long the start took; written before the future completes, read after it has. */
    private long startMillis;

    private PendingStore(StoreStart start) {
        this.start = start;
    }

    static PendingStore begin(StoreStart start) {
        PendingStore pending = new PendingStore(start);
        Thread thread = new Thread(() -> {
            long from = System.nanoTime();
            try {
                EmbeddedStore started = start.start();
                pending.startMillis = (System.nanoTime() - from) / 1_000_000;
                pending.store.complete(started);
            } catch (IOException | RuntimeException | Error e) {
                pending.store.completeExceptionally(e);
            }
        }, "jembatan-store-start");
        thread.setDaemon(true);
        thread.start();
        return pending;
    }

    /**
     * The store started for {@code wanted}, waiting for its start to finish (its failure is thrown as the start
     * would have thrown it); if the settings differ from those it was started with, it is stopped and a store is
     * started for {@code wanted} here.
     */
    synchronized EmbeddedStore take(StoreStart wanted) throws IOException {
        if (taken) {
            return wanted.start();
        }
        taken = true;
        if (!start.equals(wanted)) {
            closeWhenStarted();
            return wanted.start();
        }
        long waitFrom = System.nanoTime();
        try {
            EmbeddedStore started = store.join();
            log.info("Store: started beside the context in {} ms; the context waited {} ms for it",
                    startMillis, (System.nanoTime() - waitFrom) / 1_000_000);
            return started;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        }
    }

    /** The start under way (for tests). */
    CompletableFuture<EmbeddedStore> started() {
        return store;
    }

    /** Stops the server if nobody took it: the context closed, or its refresh failed, before the store bean was made. */
    @Override
    public synchronized void destroy() {
        if (!taken) {
            taken = true;
            closeWhenStarted();
        }
    }

    private void closeWhenStarted() {
        EmbeddedStore started = store.handle((server, failure) -> server).join();
        if (started != null) {
            started.close();
        }
    }
}
