package id.jembatan.sandbox.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The JDK's HTTP server on 127.0.0.1, as the demo agencies' sandboxes ({@link HttpSandbox}) and the benchmark's
 * sinks run it, and the plain answers they write.
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

    private LoopbackHttpServer() {
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
}
