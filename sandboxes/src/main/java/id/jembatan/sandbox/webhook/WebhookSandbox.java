package id.jembatan.sandbox.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import id.jembatan.connector.TraceContext;
import id.jembatan.connector.webhook.JsonHttpConnector;
import id.jembatan.connector.webhook.WebhookSignature;
import id.jembatan.sandbox.server.HttpSandbox;
import id.jembatan.sandbox.server.LoopbackHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receiving side of {@code json-http} agencies, for the demo and the tests: a real HTTP server on 127.0.0.1
 * that takes {@code POST /<agency>/events} the way an agency should. It checks the signature over the exact body
 * with the agency's secret and refuses a timestamp more than {@link #TOLERANCE} away (401 with the reason), accepts
 * only JSON (415), keeps each idempotency key once (a repeat answers 200 and is not recorded again) and answers 204.
 * A batch (a JSON array with {@code X-Jembatan-Event-Count}) is kept element by element, each event id once.
 * {@code GET /<agency>/events} lists what it accepted, as a JSON array. One server serves every webhook agency
 * configured with a secret. Thread-safe.
 */
public final class WebhookSandbox extends HttpSandbox {

    /** How far a request's timestamp may be from this server's clock. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(WebhookSandbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/([a-z][a-z0-9-]*)/events");

    private final Map<String, WebhookSignature> secrets;
    private final Clock clock;
    /** Guarded by itself. */
    private final List<ReceivedWebhook> received = new ArrayList<>();
    /** Guarded by {@link #received}: agency + idempotency key. */
    private final Set<String> seen = new HashSet<>();
    private volatile int failWith;
    private final AtomicInteger failed = new AtomicInteger();

    /**
     * @param port    the port to listen on, 0 for any free one
     * @param secrets each served agency's signing secret, by agency id
     */
    public WebhookSandbox(int port, Map<String, String> secrets, Clock clock) {
        super("webhook sandbox", port, 2, "/");
        this.secrets = Map.copyOf(secrets.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> new WebhookSignature(e.getValue()))));
        this.clock = clock;
    }

    @Override
    protected void started() {
        log.info("webhook sandbox serving {}", secrets.keySet());
    }

    /** {@code http://127.0.0.1:<port>/<agency>/events}, the URL to configure the agency with. */
    public URI endpoint(String agency) {
        return url("/" + agency + "/events");
    }

    /** Makes every POST answer {@code status} (4xx or 5xx), to test retries and dead letters; 0 restores service. */
    public void setFailWith(int status) {
        if (status != 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("fail with 0 (normal) or a 4xx/5xx status, not " + status);
        }
        failWith = status;
    }

    /** How many POSTs were answered with the {@link #setFailWith} status so far. */
    public int failedRequests() {
        return failed.get();
    }

    /** What {@code agency} accepted, in arrival order; a repeated idempotency key appears once. */
    public List<ReceivedWebhook> received(String agency) {
        synchronized (received) {
            return received.stream().filter(r -> r.agency().equals(agency)).toList();
        }
    }

    @Override
    protected void handle(HttpExchange exchange) {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            WebhookSignature signature = path.matches() ? secrets.get(path.group(1)) : null;
            if (signature == null) {
                answer(exchange, 404, "no webhook agency at this path");
            } else if (exchange.getRequestMethod().equals("GET")) {
                list(exchange, path.group(1));
            } else if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, "POST or GET");
            } else {
                accept(exchange, path.group(1), signature);
            }
        } catch (IOException e) {
            log.debug("webhook sandbox exchange aborted: {}", e.toString());
        }
    }

    private void accept(HttpExchange exchange, String agency, WebhookSignature signature) throws IOException {
        int failure = failWith;
        if (failure != 0) {
            failed.incrementAndGet();
            answer(exchange, failure, "webhook sandbox is set to fail with " + failure);
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            answer(exchange, 415, "application/json only");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            answer(exchange, 413, "body above " + MAX_BODY_BYTES + " bytes");
            return;
        }
        var headers = exchange.getRequestHeaders();
        if (!signature.verify(headers.getFirst(WebhookSignature.SIGNATURE_HEADER),
                headers.getFirst(WebhookSignature.TIMESTAMP_HEADER), body, clock.instant(), TOLERANCE)) {
            answer(exchange, 401, "signature missing, wrong or outside the " + TOLERANCE.toMinutes()
                    + "-minute window");
            return;
        }
        if (headers.getFirst(JsonHttpConnector.EVENT_COUNT_HEADER) != null) {
            acceptBatch(exchange, agency, contentType, body);
            return;
        }
        String key = headers.getFirst(JsonHttpConnector.IDEMPOTENCY_KEY_HEADER);
        boolean repeat;
        synchronized (received) {
            repeat = key != null && !seen.add(agency + " " + key);
            if (!repeat) {
                received.add(new ReceivedWebhook(agency, headers.getFirst(JsonHttpConnector.EVENT_ID_HEADER),
                        headers.getFirst(JsonHttpConnector.EVENT_TYPE_HEADER), contentType,
                        headers.getFirst(WebhookSignature.TIMESTAMP_HEADER),
                        headers.getFirst(WebhookSignature.SIGNATURE_HEADER), body,
                        headers.getFirst(TraceContext.TRACEPARENT)));
            }
        }
        if (repeat) {
            answer(exchange, 200, "already received " + key);
        } else {
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /**
     * A batch ({@code batch: true}): a JSON array of events, signed as one body (checked above). Each element is
     * kept once by its {@code eventId}, as if it had come alone; 204, or 400 for a body that is not a JSON array of
     * objects with an event id, or whose length is not the announced count.
     */
    private void acceptBatch(HttpExchange exchange, String agency, String contentType, byte[] body)
            throws IOException {
        JsonNode array;
        try {
            array = JSON.readTree(body);
        } catch (IOException notJson) {
            answer(exchange, 400, "a batch is a JSON array");
            return;
        }
        var headers = exchange.getRequestHeaders();
        if (array == null || !array.isArray() || !String.valueOf(array.size())
                .equals(headers.getFirst(JsonHttpConnector.EVENT_COUNT_HEADER))) {
            answer(exchange, 400, "a batch is a JSON array of " + JsonHttpConnector.EVENT_COUNT_HEADER + " events");
            return;
        }
        for (JsonNode event : array) {
            if (!event.path("eventId").isTextual()) {
                answer(exchange, 400, "every event of a batch has an eventId");
                return;
            }
        }
        synchronized (received) {
            for (JsonNode event : array) {
                String eventId = event.get("eventId").asText();
                if (seen.add(agency + " " + eventId)) {
                    received.add(new ReceivedWebhook(agency, eventId, event.path("type").asText(null), contentType,
                            headers.getFirst(WebhookSignature.TIMESTAMP_HEADER),
                            headers.getFirst(WebhookSignature.SIGNATURE_HEADER), JSON.writeValueAsBytes(event),
                            headers.getFirst(TraceContext.TRACEPARENT)));
                }
            }
        }
        exchange.sendResponseHeaders(204, -1);
    }

    private void list(HttpExchange exchange, String agency) throws IOException {
        String array = String.join(",", received(agency).stream().map(ReceivedWebhook::bodyText).toList());
        LoopbackHttpServer.answer(exchange, 200, "application/json",
                ("[" + array + "]").getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        LoopbackHttpServer.answer(exchange, status, LoopbackHttpServer.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }
}
