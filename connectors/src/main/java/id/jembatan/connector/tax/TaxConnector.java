package id.jembatan.connector.tax;


import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyHttp;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.BatchResult;
import id.jembatan.connector.CitizenDirectory;
import id.jembatan.connector.NikRedaction;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.tax.v1.BatchEntryStatus;
import id.jembatan.schema.tax.v1.TaxpayerBatch;
import id.jembatan.schema.tax.v1.TaxpayerBatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

    /** The longest answer to a batch read: a TaxpayerBatchResult of 1000 results is about 150 KiB. */
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;

    private final CitizenDirectory directory;
    private final AgencyHttp http;
    private final TaxTranslator translator = new TaxTranslator();
    private final boolean batch;

    /**
     * @param endpoint  the tax office's collection URL, e.g. {@code http://127.0.0.1:8091/taxpayers}
     *                  ({@code jembatan.agencies.tax.url})
     * @param directory the master index, for numbers of dependants
     * @param timeout   how long one request may take until the answer's headers arrive
     * @param http      the application's shared client; its connect timeout applies to opening connections
     */
    public TaxConnector(URI endpoint, CitizenDirectory directory, Duration timeout, HttpClient http) {
        this(endpoint, directory, timeout, http, false);
    }

    /**
     * @param batch the tax office takes several documents in one {@link TaxpayerBatch} ({@code batch: true})
     */
    public TaxConnector(URI endpoint, CitizenDirectory directory, Duration timeout, HttpClient http, boolean batch) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.http = new AgencyHttp("tax", endpoint, timeout, http);
        this.batch = batch;
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
        postAlone(written(documents(event)));
    }

    /**
     * For a tax office that takes batches, the documents of all the events in {@link TaxpayerBatch}es (up to
     * {@value TaxXml#MAX_BATCH} documents each), with each document's outcome read from the office's
     * {@code TaxpayerBatchResult}: an event with a document the office REJECTED is refused with its reason, the others
     * are delivered (APPLIED or DUPLICATE). An event that cannot be put into the tax format is refused before anything
     * is sent: each batch is validated against the XSD as a whole, and only when it is invalid are its documents
     * written one by one to find the events at fault (refused with the same reason as alone), the rest sent. A batch
     * the office refuses as a whole (4xx), or answers with results that do not match it, is sent again document by
     * document; one it cannot take (5xx, timeout) fails the whole batch. Otherwise, and for a
     * single event, {@link #deliver} for each event.
     */
    @Override
    public BatchResult deliverAll(List<CitizenEvent> events) {
        if (!batch || events.size() < 2) {
            return AgencyConnector.super.deliverAll(events);
        }
        BatchResult result = new BatchResult(events.size());
        List<Map<String, Integer>> dependants = dependants(events);
        List<List<Document>> chunks = new ArrayList<>();
        List<Document> chunk = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            List<Document> documents;
            try {
                documents = documents(events.get(i), dependants.get(i));
            } catch (AgencyRejectedException untranslatable) {
                result.refuse(i, untranslatable);
                continue;
            }
            if (chunk.size() + documents.size() > TaxXml.MAX_BATCH) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
            }
            for (Document document : documents) {
                chunk.add(document.of(i));
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        for (List<Document> documents : chunks) {
            postBatch(documents, result);
        }
        return result;
    }

    /**
     * One document for the tax office: its MessageId, NIK and kind, the document itself, its XML once written (null
     * before), and the position of its event.
     */
    private record Document(String messageId, String nik, String kind, Object source, byte[] xml, int event) {

        Document of(int position) {
            return new Document(messageId, nik, kind, source, xml, position);
        }

        /** Written, and so validated against the XSD. */
        Document written() {
            return xml != null ? this : new Document(messageId, nik, kind, source, TaxXml.marshal(source), event);
        }
    }

    /**
     * Every document of the event, not yet written: {@link #written} writes (and so validates) all of them before
     * any is sent alone, so an untranslatable event sends nothing.
     */
    private List<Document> documents(CitizenEvent event) {
        // One question to the index for all of them (a birth: the child and both parents).
        return documents(event, dependants(List.of(event)).get(0));
    }

    /** {@link #documents(CitizenEvent)} with the event's numbers of dependants already read. */
    private List<Document> documents(CitizenEvent event, Map<String, Integer> dependants) {
        List<Object> documents = translator.translate(event, dependants);
        List<Document> translated = new ArrayList<>(documents.size());
        for (Object document : documents) {
            translated.add(new Document(TaxXml.messageId(document), TaxXml.nik(document),
                    document.getClass().getSimpleName(), document, null, -1));
        }
        return translated;
    }

    /**
     * The documents, each written (and so validated) before any is sent.
     *
     * @throws AgencyRejectedException with {@link ErrorCode#TRANSLATION_FAILED} naming the first invalid document
     */
    private static List<Document> written(List<Document> documents) {
        List<Document> written = new ArrayList<>(documents.size());
        for (Document document : documents) {
            written.add(document.written());
        }
        return written;
    }

    /** Posts the documents, each already {@link #written}, one per request, in order. */
    private void postAlone(List<Document> documents) {
        for (Document document : documents) {
            post(document.messageId(), document.nik(), document.kind(), document.xml());
        }
    }

    /** Posts one TaxpayerBatch and records each event's outcome; see {@link #deliverAll}. */
    private void postBatch(List<Document> translated, BatchResult result) {
        List<Document> documents = translated;
        byte[] batch;
        try {
            batch = TaxXml.marshalBatch(documents.stream().map(Document::source).toList());
        } catch (AgencyRejectedException invalid) {
            documents = writtenPerEvent(documents, result);
            if (documents.isEmpty()) {
                return;
            }
            batch = TaxXml.batch(documents.stream().map(Document::xml).toList());
        }
        TaxpayerBatchResult answer;
        try {
            byte[] body = http.postForAnswer(http.request()
                    .header("Content-Type", TaxXml.MEDIA_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch))
                    .build(), MAX_ANSWER_BYTES).body();
            answer = TaxXml.unmarshalBatchResult(body);
        } catch (AgencyRejectedException | InvalidTaxDocumentException notABatch) {
            log.warn("tax did not take a batch of {} documents ({}): sending them one by one", documents.size(),
                    notABatch.getMessage());
            postEachAlone(documents, result);
            return;
        }
        List<TaxpayerBatchResult.Result> results = answer.getResult();
        if (!matches(results, documents)) {
            log.warn("tax answered a batch of {} documents with {} results that do not match it: sending them one by"
                    + " one", documents.size(), results.size());
            postEachAlone(documents, result);
            return;
        }
        for (int k = 0; k < results.size(); k++) {
            TaxpayerBatchResult.Result outcome = results.get(k);
            Document document = documents.get(k);
            if (outcome.getStatus() == BatchEntryStatus.REJECTED && result.refusal(document.event()) == null) {
                result.refuse(document.event(), new AgencyRejectedException(ErrorCode.AGENCY_REJECTED,
                        NikRedaction.redact("tax refused " + document.kind() + " " + document.messageId() + " for "
                                + Nik.mask(document.nik()) + ": " + (outcome.getReason() == null ? "no reason given"
                                : outcome.getReason())), null));
            } else {
                log.debug("tax took {} {} for {} in a batch ({})", document.kind(), document.messageId(),
                        Nik.mask(document.nik()), outcome.getStatus());
            }
        }
    }

    /**
     * The documents of a batch that is not valid as a whole, written one by one: an event with an invalid document
     * is refused with that document's reason (as it would be alone) and none of its documents stays; the others'
     * documents are returned written, in order.
     */
    private static List<Document> writtenPerEvent(List<Document> documents, BatchResult result) {
        List<Document> valid = new ArrayList<>(documents.size());
        byEvent(documents).forEach((event, ofEvent) -> {
            try {
                valid.addAll(written(ofEvent));
            } catch (AgencyRejectedException untranslatable) {
                result.refuse(event, untranslatable);
            }
        });
        return valid;
    }

    /** The documents grouped by their event, in order. */
    private static Map<Integer, List<Document>> byEvent(List<Document> documents) {
        Map<Integer, List<Document>> byEvent = new LinkedHashMap<>();
        for (Document document : documents) {
            byEvent.computeIfAbsent(document.event(), e -> new ArrayList<>()).add(document);
        }
        return byEvent;
    }

    /** Whether the results answer the documents: one each, in the same order. */
    private static boolean matches(List<TaxpayerBatchResult.Result> results, List<Document> documents) {
        if (results.size() != documents.size()) {
            return false;
        }
        for (int k = 0; k < results.size(); k++) {
            if (!documents.get(k).messageId().equals(results.get(k).getMessageId())) {
                return false;
            }
        }
        return true;
    }

    /** The documents of a batch the office did not take as one, each event's alone; refusals per event. */
    private void postEachAlone(List<Document> documents, BatchResult result) {
        byEvent(documents).forEach((event, ofEvent) -> {
            try {
                postAlone(written(ofEvent));
            } catch (AgencyRejectedException refused) {
                result.refuse(event, refused);
            }
        });
    }

    /**
     * Whose numbers of dependants this event changes (null: nobody's), to be read from the master index in one
     * question ({@link #documents(CitizenEvent)}; a batch's together). A birth: the new citizen's own count and each
     * parent's (the parents from the event, or from the master record when the access policy withheld them). A death
     * of someone under 18: each parent's count. Counted as of the day the event occurred, so the count is the one
     * that holds when the tax office hears of it.
     */
    private Asked asked(CitizenEvent event) {
        if (event.occurredAt() == null) {
            return null; // the translator refuses the event with the reason
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
        return niks.isEmpty() ? null : new Asked(niks, asOf);
    }

    /** Whose numbers of dependants an event changes ({@link #asked}), and as of which day. */
    private record Asked(Set<String> niks, LocalDate asOf) {
    }

    /**
     * The numbers of dependants of each event of a batch, in its order: one question to the index for all the
     * batch's NIKs of each day the events occurred on (usually one day), rather than one per event. Each event gets
     * the counts of its own NIKs as of its own day, as {@link #documents(CitizenEvent)} reads them alone.
     */
    private List<Map<String, Integer>> dependants(List<CitizenEvent> events) {
        List<Asked> asked = events.stream().map(this::asked).toList();
        Map<LocalDate, Set<String>> byDay = new LinkedHashMap<>();
        for (Asked a : asked) {
            if (a != null) {
                byDay.computeIfAbsent(a.asOf(), day -> new LinkedHashSet<>()).addAll(a.niks());
            }
        }
        Map<LocalDate, Map<String, Integer>> counts = new HashMap<>();
        byDay.forEach((day, niks) -> counts.put(day, directory.livingMinorChildren(niks, day)));
        List<Map<String, Integer>> dependants = new ArrayList<>(events.size());
        for (Asked a : asked) {
            Map<String, Integer> ofEvent = new LinkedHashMap<>();
            if (a != null) {
                a.niks().forEach(nik -> ofEvent.put(nik, counts.get(a.asOf()).get(nik)));
            }
            dependants.add(ofEvent);
        }
        return dependants;
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
