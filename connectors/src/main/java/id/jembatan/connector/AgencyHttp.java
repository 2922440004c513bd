package id.jembatan.connector;

import id.jembatan.schema.error.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One POST to an HTTP agency and the meaning of its answer, the same for every HTTP connector: 2xx is delivered,
 * 409 means the agency already has this idempotency key (also delivered); timeouts, connection failures, 5xx, 408,
 * 429 and unexpected 1xx/3xx (a misconfigured URL an operator fixes while the backlog waits) are
 * {@link AgencyUnavailableException}; any other 4xx is {@link AgencyRejectedException} with the start of the
 * agency's answer, NIKs masked. Thread-safe.
 */
public final class AgencyHttp {

    /** How much of a refusal's body goes into the exception (and so into the dead-letter entry). */
    private static final int DETAIL_CHARS = 500;
    /** Enough bytes for {@link #DETAIL_CHARS} characters of UTF-8; the rest of a long body is never read. */
    private static final int DETAIL_BYTES = 4 * DETAIL_CHARS;
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cntrl}+");

    private final String agency;
    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param agency   the agency's name in exception details ({@code tax}, {@code bansos})
     * @param endpoint an absolute http(s) URL
     * @param timeout  how long one request may take until the answer's headers arrive
     * @param http     the application's shared client; its connect timeout applies to opening connections
     */
    public AgencyHttp(String agency, URI endpoint, Duration timeout, HttpClient http) {
        this.agency = Objects.requireNonNull(agency, "agency");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = Objects.requireNonNull(http, "http");
        if (!endpoint.isAbsolute() || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalArgumentException(agency + " endpoint must be an absolute http(s) URL: " + endpoint);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * A request to the endpoint with this connector's timeout and the current trace context ({@code traceparent}),
     * for the caller to add headers and a body to.
     */
    public HttpRequest.Builder request() {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout);
        TraceContext.propagate(request::header);
        return request;
    }

    /**
     * Sends the request and returns the status of an answer that means delivered (2xx or 409).
     *
     * @throws AgencyUnavailableException try again later
     * @throws AgencyRejectedException    the agency refused this request
     */
    public int post(HttpRequest request) {
        HttpResponse<InputStream> response = send(request);
        release(response.body());
        return response.statusCode();
    }

    /** A delivered answer (2xx or 409) and its body. */
    public record Answer(int status, byte[] body) {
    }

    /**
     * Sends the request and returns a delivered answer (2xx or 409) with its body, read up to {@code maxBytes} (an
     * answer cut there is returned cut: the caller's parser refuses it).
     *
     * @throws AgencyUnavailableException try again later
     * @throws AgencyRejectedException    the agency refused this request
     */
    public Answer postForAnswer(HttpRequest request, int maxBytes) {
        HttpResponse<InputStream> response = send(request);
        try (InputStream body = response.body()) {
            return new Answer(response.statusCode(), body.readNBytes(maxBytes));
        } catch (IOException e) {
            throw new AgencyUnavailableException(agency + "'s answer at " + endpoint + " could not be read: " + e, e);
        }
    }

    /** Sends the request; returns an answer that means delivered, its body unread. */
    private HttpResponse<InputStream> send(HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new AgencyUnavailableException(agency + " did not answer within " + timeout + " at " + endpoint, e);
        } catch (IOException e) {
            throw new AgencyUnavailableException(agency + " unreachable at " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgencyUnavailableException("interrupted while delivering to " + agency + " at " + endpoint, e);
        }
        int status = response.statusCode();
        if ((status >= 200 && status < 300) || status == 409) {
            return response;
        }
        String detail = detail(response.body());
        if (status == 408 || status == 429 || status >= 500 || status < 400) {
            // 408 and 429 say "later", not "never"; a 1xx/3xx is a misconfigured URL, not a reason to
            // dead-letter the events.
            throw new AgencyUnavailableException(agency + " answered " + status + ": " + detail, null);
        }
        throw new AgencyRejectedException(ErrorCode.AGENCY_REJECTED, agency + " answered " + status + ": " + detail,
                null);
    }

    /** Reads what a delivered answer says as far as a refusal's would be read, and releases the connection. */
    private static void release(InputStream body) {
        try (body) {
            body.readNBytes(DETAIL_BYTES);
        } catch (IOException e) {
            // Delivered all the same; the client drops the connection instead of reusing it.
        }
    }

    /** The start of the answer's body as one line of text, NIKs masked; always releases the connection. */
    private static String detail(InputStream body) {
        try (body) {
            String text = new String(body.readNBytes(DETAIL_BYTES), StandardCharsets.UTF_8);
            if (text.length() > DETAIL_CHARS) {
                text = text.substring(0, DETAIL_CHARS);
            }
            return NikRedaction.redact(CONTROL_CHARACTERS.matcher(text).replaceAll(" ").strip());
        } catch (IOException e) {
            return "(body unreadable: " + e.getClass().getSimpleName() + ")";
        }
    }
}
