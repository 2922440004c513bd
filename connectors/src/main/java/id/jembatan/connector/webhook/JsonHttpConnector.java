package id.jembatan.connector.webhook;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyHttp;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.Translator;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Events to a webhook agency ({@code json-http}): each event, translated by the agency's {@link Translator}
 * (canonical JSON unless it has a format of its own), is POSTed to the agency's URL, signed with the agency's
 * secret ({@link WebhookSignature}) and with the event id as idempotency key, so the agency can check it came from
 * the bus and ignore a repeat. Thread-safe.
 */
public final class JsonHttpConnector implements AgencyConnector {

    public static final String EVENT_ID_HEADER = "X-Jembatan-Event-Id";
    public static final String EVENT_TYPE_HEADER = "X-Jembatan-Event-Type";
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(JsonHttpConnector.class);

    private final String agency;
    private final AgencyHttp http;
    private final Translator translator;
    private final WebhookSignature signature;
    private final Clock clock;

    /**
     * @param agency     the agency id, for logs and exception details
     * @param endpoint   the agency's webhook URL ({@code jembatan.agencies.<id>.url})
     * @param timeout    how long one request may take until the answer's headers arrive
     * @param http       the application's shared client
     * @param translator the agency's format
     * @param signature  signs with the agency's secret ({@code jembatan.agencies.<id>.signing-secret})
     * @param clock      the source of the signature's timestamp
     */
    public JsonHttpConnector(String agency, URI endpoint, Duration timeout, HttpClient http, Translator translator,
                             WebhookSignature signature, Clock clock) {
        this.agency = Objects.requireNonNull(agency, "agency");
        this.http = new AgencyHttp(agency, endpoint, timeout, http);
        this.translator = Objects.requireNonNull(translator, "translator");
        this.signature = Objects.requireNonNull(signature, "signature");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws AgencyRejectedException    the translator cannot express the event, or the agency refused it (4xx other
     *                                    than 408, 409 and 429; 401 is a secret the two sides do not share)
     * @throws AgencyUnavailableException connection refused or reset, timeout, 5xx, 408, 429, 1xx or 3xx
     */
    @Override
    public void deliver(CitizenEvent event) {
        byte[] body = translator.toAgency(event);
        // A redelivery is signed anew: the agency's replay window applies to the request, the event id to the event.
        long timestamp = clock.instant().getEpochSecond();
        String eventId = event.eventId().toString();
        int status = http.post(http.request()
                .header("Content-Type", translator.mediaType())
                .header(EVENT_ID_HEADER, eventId)
                .header(EVENT_TYPE_HEADER, event.eventType().wireName())
                .header(IDEMPOTENCY_KEY_HEADER, eventId)
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, signature.sign(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
        log.debug("{} took {} {} for {} ({})", agency, event.eventType().wireName(), eventId,
                Nik.mask(event.subjectNik()), status);
    }
}
