package id.jembatan.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's HTTP server on 127.0.0.1, as the demo agencies' sandboxes (and the benchmark's sinks) run it: one
 * handler on a pool of daemon worker threads, stopped and started again on the same port, so that the bus's
 * configured URL stays right across an agency's "outage". Thread-safe.
 *
 * <p>With TCP_NODELAY: the JDK's server writes a response's headers and its body as two segments, and without it
 * the body waits for the client's delayed acknowledgement of the headers, 40 ms on Linux, on every answer over a
 * kept-alive connection. The JDK reads {@code sun.net.httpserver.nodelay} once, when its first server is created in
 * the JVM; this class sets it (unless it was set already) before creating any.
 */
public final class LoopbackHttpServer {

    /** The content type of the sandboxes' plain-text answers. */
    public static final String TEXT = "text/plain; charset=utf-8";

    private static final String NODELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private final String owner;
    private final int requestedPort;
    private final int workers;
    private final String context;
    private final HttpHandler handler;

    /** Guarded by {@code this}. */
    private HttpServer server;
    private ExecutorService pool;
    private int boundPort;

    /**
     * A server not started yet.
     *
     * @param owner   what is listening ("tax sandbox"), for messages and the names of its threads
     * @param port    the port, 0 for any free one; once bound, a restart binds the same port again
     * @param workers how many requests it handles at once
     * @param context the path the handler serves, with everything below it
     */
    public LoopbackHttpServer(String owner, int port, int workers, String context, HttpHandler handler) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        this.owner = owner;
        this.requestedPort = port;
        this.workers = workers;
        this.context = context;
        this.handler = handler;
    }

    /**
     * A server bound to 127.0.0.1 (explicitly IPv4: the URLs the bus is configured with say 127.0.0.1), not started.
     *
     * @param owner what is listening, for the error message
     * @param port  the port, 0 for any free one
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static HttpServer create(String owner, int port) {
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
            return HttpServer.create(new InetSocketAddress(loopback, port), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("127.0.0.1 rejected", e);
        } catch (IOException e) {
            throw new UncheckedIOException(owner + " cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /**
     * Starts listening; does nothing if already running.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        HttpServer created = create(owner, port());
        created.createContext(context, handler);
        ExecutorService threads = Executors.newFixedThreadPool(workers, daemonThreads());
        created.setExecutor(threads);
        created.start();
        server = created;
        pool = threads;
        boundPort = created.getAddress().getPort();
    }

    /** Stops listening and closes open connections at once; does nothing if not running. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        pool.shutdownNow();
        server = null;
        pool = null;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The port listened on (or last listened on); before the first start, the port asked for. */
    public synchronized int port() {
        return boundPort != 0 ? boundPort : requestedPort;
    }

    /** Answers with a body, or with headers only when the body is empty. */
    public static void answer(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A plain-text answer: the message and a line break. */
    public static void answerText(HttpExchange exchange, int status, String message) throws IOException {
        answer(exchange, status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private ThreadFactory daemonThreads() {
        String prefix = owner.toLowerCase(Locale.ROOT).replace(' ', '-') + "-";
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
