package id.jembatan.sandbox;

import id.jembatan.config.ListeningPorts;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The demo agencies' servers starting side by side, each on a thread of its own, beside the building of the bus's
 * context (the health FHIR server and the authorization server's own Spring context took 12% of a start's main
 * thread one after the other: docs/performance.md). Every start is waited for once the bus's singletons are made,
 * before any port of the bus opens, so the demo agencies are there when the bus reports itself healthy; a start that
 * failed (a port taken) stops the bus's start naming the setting that moves it, as a start on the main thread did.
 * Each is stopped with the context, after its start has finished.
 */
final class SandboxStarts implements SmartInitializingSingleton, DisposableBean {

    private record Start(CompletableFuture<Void> done, Runnable stop) {
    }

    private final List<Start> starts = new ArrayList<>();

    /**
     * Starts {@code sandbox} on a thread of its own and returns it at once; {@code stop} stops it with the context.
     *
     * @param key  the setting of its port, named when the port is taken
     * @param port the port it was asked to listen on
     */
    synchronized <T> T begin(T sandbox, Consumer<T> start, Consumer<T> stop, String key, int port) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                start.accept(sandbox);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(ListeningPorts.explain(e, key, "127.0.0.1", port, "any free port"));
            } catch (Error e) {
                done.completeExceptionally(e);
            }
        }, "sandbox-start-" + key.substring(key.lastIndexOf('.') + 1));
        thread.setDaemon(true);
        thread.start();
        starts.add(new Start(done, () -> stop.accept(sandbox)));
        return sandbox;
    }

    /** Waits for every start; the first that failed is thrown (and fails the bus's start). */
    @Override
    public void afterSingletonsInstantiated() {
        List<Start> all;
        synchronized (this) {
            all = List.copyOf(starts);
        }
        for (Start start : all) {
            try {
                start.done().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw (Error) e.getCause();
            }
        }
    }

    /** Stops every sandbox, last started first, each once its start has finished (or failed). */
    @Override
    public synchronized void destroy() {
        for (int i = starts.size() - 1; i >= 0; i--) {
            Start start = starts.get(i);
            start.done().handle((ok, failure) -> null).join();
            start.stop().run();
        }
        starts.clear();
    }
}
