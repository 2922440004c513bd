package id.jembatan.connector.webhook;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyHttp;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.BatchResult;
import id.jembatan.connector.Translator;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

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
    /** On a batch: how many events its JSON array holds. */
    public static final String EVENT_COUNT_HEADER = "X-Jembatan-Event-Count";

    private static final Logger log = LoggerFactory.getLogger(JsonHttpConnector.class);

    private final String agency;
    private final AgencyHttp http;
    private final Translator translator;
    private final WebhookSignature signature;
    private final Clock clock;
    private final boolean batch;

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
        this(agency, endpoint, timeout, http, translator, signature, clock, false);
    }

    /**
     * @param batch several events in one request, as a JSON array ({@code batch: true}; the format must be JSON)
     */
    public JsonHttpConnector(String agency, URI endpoint, Duration timeout, HttpClient http, Translator translator,
                             WebhookSignature signature, Clock clock, boolean batch) {
        if (batch && !isJson(translator.mediaType())) {
            throw new IllegalArgumentException(agency + ": a batch is a JSON array, but the format writes "
                    + translator.mediaType());
        }
        this.batch = batch;
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
        String eventId = event.eventId().toString();
        int status = post(eventId, event.eventType().wireName(), translator.mediaType(), body);
        log.debug("{} took {} {} for {} ({})", agency, event.eventType().wireName(), eventId,
                Nik.mask(event.subjectNik()), status);
    }

    /**
     * POSTs a JSON document that is not a citizen event (a complaint) the way events go: signed, with its id as
     * event id and idempotency key and its kind as event type ({@code ComplaintSubmitted}), so the agency checks and
     * deduplicates it as it does events.
     *
     * @throws AgencyRejectedException    the agency refused it (as {@link #deliver})
     * @throws AgencyUnavailableException the agency could not take it (as {@link #deliver})
     */
    public void deliverDocument(String id, String type, byte[] json) {
        int status = post(id, type, "application/json", json);
        log.debug("{} took {} {} ({})", agency, type, id, status);
    }

    /** One signed POST; a redelivery is signed anew (the replay window applies to the request, the id to the item). */
    private int post(String id, String type, String mediaType, byte[] body) {
        long timestamp = clock.instant().getEpochSecond();
        return http.post(http.request()
                .header("Content-Type", mediaType)
                .header(EVENT_ID_HEADER, id)
                .header(EVENT_TYPE_HEADER, type)
                .header(IDEMPOTENCY_KEY_HEADER, id)
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, signature.sign(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    /**
     * With {@code batch: true}, the events in one request: a JSON array of what the format writes for each, in
     * order, signed as one body, with {@value #EVENT_COUNT_HEADER} and an idempotency key made from the events' ids
     * (the same events give the same key); the agency recognises repeats by each element's event id. An event the
     * format cannot express is refused alone before anything is sent. A batch the agency refuses as a whole (4xx)
     * is sent again one event per request, which finds the events it refuses; one it cannot take fails as a whole.
     */
    @Override
    public BatchResult deliverAll(List<CitizenEvent> events) {
        if (!batch || events.size() < 2) {
            return AgencyConnector.super.deliverAll(events);
        }
        BatchResult result = new BatchResult(events.size());
        List<Integer> sent = new ArrayList<>(events.size());
        ByteArrayOutputStream array = new ByteArrayOutputStream(events.size() * 1024);
        StringBuilder ids = new StringBuilder();
        array.write('[');
        for (int i = 0; i < events.size(); i++) {
            byte[] element;
            try {
                element = translator.toAgency(events.get(i));
            } catch (RuntimeException untranslatable) {
                result.refuse(i, untranslatable);
                continue;
            }
            if (!sent.isEmpty()) {
                array.write(',');
            }
            array.writeBytes(element);
            ids.append(events.get(i).eventId()).append(',');
            sent.add(i);
        }
        array.write(']');
        if (sent.isEmpty()) {
            return result;
        }
        byte[] body = array.toByteArray();
        long timestamp = clock.instant().getEpochSecond();
        try {
            http.post(http.request()
                    .header("Content-Type", translator.mediaType())
                    .header(EVENT_COUNT_HEADER, Integer.toString(sent.size()))
                    .header(IDEMPOTENCY_KEY_HEADER, "batch-" + UUID.nameUUIDFromBytes(
                            ids.toString().getBytes(StandardCharsets.US_ASCII)))
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(WebhookSignature.SIGNATURE_HEADER, signature.sign(timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build());
        } catch (AgencyRejectedException refusedAsAWhole) {
            log.warn("{} refused a batch of {} events as a whole: sending them one by one", agency, sent.size());
            for (int i : sent) {
                try {
                    deliver(events.get(i));
                } catch (AgencyRejectedException refused) {
                    result.refuse(i, refused);
                }
            }
        }
        return result;
    }

    /** Whether a media type is JSON ({@code application/json}, with parameters or not). */
    static boolean isJson(String mediaType) {
        return mediaType != null && mediaType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }
}
