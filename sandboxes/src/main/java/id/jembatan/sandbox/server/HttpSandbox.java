package id.jembatan.sandbox.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A demo agency's HTTP side: a {@link LoopbackHttpServer} with one handler on a pool of daemon worker threads,
 * stopped and started again on the same port, so that the bus's configured URL stays right across an agency's
 * "outage". What the agency received survives a stop and a start. Thread-safe.
 */
public abstract class HttpSandbox implements AutoCloseable {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final int requestedPort;
    private final int workers;
    private final String context;

    /** Guarded by {@code this}, like the rest of the life cycle. */
    private HttpServer server;
    private ExecutorService pool;
    private int boundPort;

    /**
     * @param name    what is listening ("tax sandbox"), for messages and the names of its threads
     * @param port    the port, 0 for any free one; once bound, a restart binds the same port again
     * @param workers how many requests it handles at once
     * @param context the path {@link #handle} serves, with everything below it
     */
    protected HttpSandbox(String name, int port, int workers, String context) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        this.name = name;
        this.requestedPort = port;
        this.workers = workers;
        this.context = context;
    }

    /** Answers one request and closes the exchange, whatever happens. */
    protected abstract void handle(HttpExchange exchange);

    /** What else the sandbox starts once it listens; a failure stops the listening again. */
    protected void started() {
    }

    /** What else the sandbox stops before it stops listening (also after {@link #started} failed). */
    protected void stopping() {
    }

    /**
     * Starts listening (and what {@link #started} starts); does nothing if already running.
     *
     * @throws java.io.UncheckedIOException when the port cannot be bound
     */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        HttpServer created = LoopbackHttpServer.create(name, port());
        created.createContext(context, this::handle);
        ExecutorService threads = Executors.newFixedThreadPool(workers, daemonThreads());
        created.setExecutor(threads);
        created.start();
        server = created;
        pool = threads;
        boundPort = created.getAddress().getPort();
        log.info("{} listening on {}", name, url("/"));
        try {
            started();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops listening and closes open connections at once; does nothing if not running. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        stopping();
        server.stop(0);
        pool.shutdownNow();
        server = null;
        pool = null;
        log.info("{} on port {} stopped", name, boundPort);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The port listened on (or last listened on); before the first start, the port asked for. */
    public synchronized int port() {
        return boundPort != 0 ? boundPort : requestedPort;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    protected URI url(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private ThreadFactory daemonThreads() {
        String prefix = name.toLowerCase(Locale.ROOT).replace(' ', '-') + "-";
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
