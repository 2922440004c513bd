package id.jembatan.connector.tax;


import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyHttp;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.CitizenDirectory;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.rules.Nik;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Canonical events to the tax office: each becomes one or more taxpayer.xsd documents (the event's own, plus the
 * parents' new numbers of dependants after a child's birth or death), POSTed one per request to the tax office's
 * endpoint with the MessageId as idempotency key. Thread-safe: the delivery route may call it from several
 * consumers at once.
 */
public final class TaxConnector implements AgencyConnector {

    /** Carries the MessageId (for a derived message not the event id, see {@link TaxTranslator}). */
    public static final String EVENT_ID_HEADER = "X-Jembatan-Event-Id";
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(TaxConnector.class);
    private static final int ADULT_AGE = 18;

    private final CitizenDirectory directory;
    private final AgencyHttp http;
    private final TaxTranslator translator = new TaxTranslator();

    /**
     * @param endpoint  the tax office's collection URL, e.g. {@code http://127.0.0.1:8091/taxpayers}
     *                  ({@code jembatan.agencies.tax.url})
     * @param directory the master index, for numbers of dependants
     * @param timeout   how long one request may take until the answer's headers arrive
     * @param http      the application's shared client; its connect timeout applies to opening connections
     */
    public TaxConnector(URI endpoint, CitizenDirectory directory, Duration timeout, HttpClient http) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.http = new AgencyHttp("tax", endpoint, timeout, http);
    }

    /**
     * Delivers every document of the event, in order. All of them are marshalled (and so validated) before the
     * first is sent, so an untranslatable event sends nothing. After a failure part-way, the redelivery sends all
     * of them again: the ones the tax office already has carry the same MessageId and change nothing there.
     *
     * @throws AgencyRejectedException    the event cannot be put into the tax format, or the tax office refused a
     *                                    document (4xx other than 408, 409 and 429)
     * @throws AgencyUnavailableException connection refused or reset, timeout, 5xx, 408, 429 or an unexpected status
     *                                     (1xx, 3xx: a misconfigured URL, which an operator fixes while the backlog
     *                                     waits); a failure of the {@link CitizenDirectory} itself propagates
     *                                     unchanged, being neither the tax office's fault nor the event's
     */
    @Override
    public void deliver(CitizenEvent event) {
        List<Object> documents = translator.translate(event, dependants(event));
        List<byte[]> bodies = new ArrayList<>(documents.size());
        for (Object document : documents) {
            bodies.add(TaxXml.marshal(document));
        }
        for (int i = 0; i < documents.size(); i++) {
            Object document = documents.get(i);
            post(TaxXml.messageId(document), TaxXml.nik(document), document.getClass().getSimpleName(),
                    bodies.get(i));
        }
    }

    /**
     * The numbers of dependants this event changes, from the master index. A birth: the new citizen's own count and
     * each parent's (the parents from the event, or from the master record when the access policy withheld them).
     * A death of someone under 18: each parent's count. Counted as of the day the event occurred, so the count is
     * the one that holds when the tax office hears of it.
     */
    private Map<String, Integer> dependants(CitizenEvent event) {
        if (event.occurredAt() == null) {
            return Map.of(); // the translator refuses the event with the reason
        }
        LocalDate asOf = event.occurredAt().toLocalDate();
        Set<String> niks = new LinkedHashSet<>();
        if (event instanceof BirthRegistered birth && birth.citizen() != null && birth.citizen().nik() != null) {
            Citizen child = birth.citizen();
            niks.add(child.nik());
            Optional<Citizen> recorded = child.motherNik() == null || child.fatherNik() == null
                    ? directory.citizen(child.nik()) : Optional.empty();
            addParent(niks, child.motherNik() != null ? child.motherNik()
                    : recorded.map(Citizen::motherNik).orElse(null), child.nik());
            addParent(niks, child.fatherNik() != null ? child.fatherNik()
                    : recorded.map(Citizen::fatherNik).orElse(null), child.nik());
        } else if (event instanceof DeathRegistered death && death.nik() != null && death.dateOfDeath() != null) {
            directory.citizen(death.nik())
                    .filter(c -> c.birthDate() != null
                            && death.dateOfDeath().isBefore(c.birthDate().plusYears(ADULT_AGE)))
                    .ifPresent(c -> {
                        addParent(niks, c.motherNik(), c.nik());
                        addParent(niks, c.fatherNik(), c.nik());
                    });
        }
        // One question to the index for all of them (a birth: the child and both parents).
        return niks.isEmpty() ? Map.of() : directory.livingMinorChildren(niks, asOf);
    }

    private static void addParent(Set<String> niks, String parentNik, String childNik) {
        if (parentNik != null && !parentNik.equals(childNik)) {
            niks.add(parentNik);
        }
    }

    private void post(String messageId, String nik, String kind, byte[] xml) {
        int status = http.post(http.request()
                .header("Content-Type", TaxXml.MEDIA_TYPE)
                .header(EVENT_ID_HEADER, messageId)
                .header(IDEMPOTENCY_KEY_HEADER, messageId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml))
                .build());
        if (status == 409) {
            // The tax office says it already has this MessageId: the effect we want is there.
            log.info("tax already had {} {} for {} (409)", kind, messageId, Nik.mask(nik));
        } else {
            log.debug("tax took {} {} for {} ({})", kind, messageId, Nik.mask(nik), status);
        }
    }
}
