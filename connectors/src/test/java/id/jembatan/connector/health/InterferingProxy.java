package id.jembatan.connector.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP forwarder between the health connector and the sandbox that lets "the agency" change a Patient just
 * before the connector's write arrives: for the first {@code interferences} PUTs it runs {@code agencyChange}, then
 * forwards the PUT. That is the race the connector's If-Match guards against, made deterministic. It can also play
 * an agency that ignores the {@code Prefer} header or refuses every PUT, and it records every request and what each
 * write (PUT or POST) asked for and got back. The end-to-end tests put it on the health agency's port, in front of
 * whichever FHIR server plays the agency.
 */
public final class InterferingProxy implements AutoCloseable {

    /** Headers the JDK client sets itself and refuses to take from a caller. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive");
    private static final List<String> RECORDED_REQUEST_HEADERS = List.of("If-None-Exist", "If-Match",
            "Cache-Control");
    private static final List<String> FORWARDED_RESPONSE_HEADERS = List.of("Content-Type", "Content-Encoding",
            "Location", "Content-Location", "ETag", "Last-Modified");

    private final String target;
    private final int interferences;
    private final Runnable agencyChange;
    private final boolean honoursPrefer;
    private final AtomicInteger puts = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> writePrefers = new CopyOnWriteArrayList<>();
    private final List<Integer> writeAnswerBytes = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final HttpServer server;
    private volatile Refusal putRefusal;

    InterferingProxy(String target, int interferences, Runnable agencyChange) throws IOException {
        this(target, 0, interferences, agencyChange, true);
    }

    /**
     * @param port          the port on 127.0.0.1 to listen on (0: any free one)
     * @param interferences for how many PUTs {@code agencyChange} runs before the PUT is forwarded
     */
    public InterferingProxy(String target, int port, int interferences, Runnable agencyChange) throws IOException {
        this(target, port, interferences, agencyChange, true);
    }

    /** @param honoursPrefer false: the {@code Prefer} header is not forwarded, the sandbox answers its default */
    InterferingProxy(String target, int interferences, Runnable agencyChange, boolean honoursPrefer)
            throws IOException {
        this(target, 0, interferences, agencyChange, honoursPrefer);
    }

    private InterferingProxy(String target, int port, int interferences, Runnable agencyChange, boolean honoursPrefer)
            throws IOException {
        this.target = target;
        this.interferences = interferences;
        this.agencyChange = agencyChange;
        this.honoursPrefer = honoursPrefer;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}),
                port), 0);
        server.createContext("/fhir", this::forward);
        server.start();
    }

    /** Answers every PUT from now on with this status and OperationOutcome (JSON) instead of forwarding it. */
    public void refusePuts(int status, String operationOutcome) {
        putRefusal = new Refusal(status, operationOutcome);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    /** How many PUTs passed through. */
    public int puts() {
        return puts.get();
    }

    /**
     * Each request that passed through, in order, as method and path ({@code "POST /Patient"}), followed by
     * {@code " If-None-Exist: <value>"}, {@code " If-Match: <value>"} and {@code " Cache-Control: <value>"} for
     * those of the headers it had.
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The {@code Prefer} header of each PUT or POST that passed through ("" for none), in order. */
    List<String> writePrefers() {
        return List.copyOf(writePrefers);
    }

    /** The length of the body of each answer to a PUT or POST, in order, after any gzip encoding is undone. */
    List<Integer> writeAnswerBytes() {
        return List.copyOf(writeAnswerBytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            boolean put = "PUT".equals(exchange.getRequestMethod());
            boolean write = put || "POST".equals(exchange.getRequestMethod());
            StringBuilder described = new StringBuilder(exchange.getRequestMethod()).append(' ')
                    .append(exchange.getRequestURI().getPath().substring("/fhir".length()));
            for (String header : RECORDED_REQUEST_HEADERS) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    described.append(' ').append(header).append(": ").append(value);
                }
            }
            requests.add(described.toString());
            if (write) {
                String prefer = exchange.getRequestHeaders().getFirst("Prefer");
                writePrefers.add(prefer == null ? "" : prefer);
            }
            if (put && puts.incrementAndGet() <= interferences) {
                agencyChange.run();
            }
            if (put && putRefusal != null) {
                byte[] outcome = putRefusal.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
                exchange.sendResponseHeaders(putRefusal.status(), outcome.length);
                exchange.getResponseBody().write(outcome);
                return;
            }
            String path = exchange.getRequestURI().getRawPath().substring("/fhir".length());
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path
                    + (query == null ? "" : "?" + query)));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase())
                        && (honoursPrefer || !"prefer".equalsIgnoreCase(name))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            request.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            FORWARDED_RESPONSE_HEADERS.forEach(name -> response.headers().firstValue(name)
                    .ifPresent(value -> exchange.getResponseHeaders().add(name, value)));
            byte[] answer = response.body();
            if (write) {
                writeAnswerBytes.add(decodedLength(answer, response.headers().firstValue("Content-Encoding")
                        .orElse("")));
            }
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to the sandbox", e);
        }
    }

    private record Refusal(int status, String body) {
    }

    private static int decodedLength(byte[] body, String contentEncoding) throws IOException {
        if (body.length == 0 || !contentEncoding.equalsIgnoreCase("gzip")) {
            return body.length;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes().length;
        }
    }
}
