package id.jembatan.sandbox.tax;

import com.sun.net.httpserver.HttpExchange;
import id.jembatan.connector.tax.InvalidTaxDocumentException;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.sandbox.server.HttpSandbox;
import id.jembatan.sandbox.server.LoopbackHttpServer;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.rules.Npwp;
import id.jembatan.schema.tax.v1.Address;
import id.jembatan.schema.tax.v1.BatchEntryStatus;
import id.jembatan.schema.tax.v1.TaxpayerBatch;
import id.jembatan.schema.tax.v1.TaxpayerBatchResult;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import id.jembatan.schema.tax.v1.TaxpayerStatus;
import id.jembatan.schema.validation.EventValidator;
import id.jembatan.schema.tax.v1.TaxpayerStatusRequest;
import id.jembatan.schema.tax.v1.TaxpayerStatusResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tax office's side of the v1 protocol, for the demo and the tests: a real HTTP server on 127.0.0.1 that takes
 * taxpayer.xsd documents at {@code POST /taxpayers}, one per request or several in a {@code TaxpayerBatch} (answered
 * 200 with a {@code TaxpayerBatchResult}: each document's outcome, in order), applies each MessageId once, and shows its record of a
 * taxpayer at {@code GET /taxpayers/{nik}}. It also answers the owner service {@code tax/taxpayer-status} at
 * {@code POST /taxpayers/status}: a {@code TaxpayerStatusRequest} (by NIK or legacy NPWP) answered 200 with a
 * {@code TaxpayerStatusResponse} from what it received: VALID for a registered taxpayer who is alive on the day asked
 * for, INVALID for one who had died by then, NOT_REGISTERED otherwise.
 *
 * <p>{@code POST /taxpayers} answers 201 (with the taxpayer's {@code Location}) when a message is applied, 200 when
 * its MessageId was applied before (nothing changes), 400 with a plain-text reason for anything that is not a valid document (including any
 * DOCTYPE), 413 above 1 MiB and 415 for another Content-Type than {@code application/xml}. What it received
 * survives {@link #stop()} and {@link #start()}, like a real office's database survives a restart of its web tier.
 * Thread-safe.
 */
public final class TaxSandbox extends HttpSandbox {

    /** The path of the collection; the bus's {@code jembatan.agencies.tax.url} points here. */
    public static final String PATH = "/taxpayers";
    /** The status endpoint; the bus's {@code jembatan.services.tax.taxpayer-status.url} points here. */
    public static final String STATUS_PATH = PATH + "/status";
    /** The largest body accepted, 1 MiB: a real document is a few KiB. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** How much of an oversized body is read and thrown away so that its sender still gets the 413. */
    private static final long DRAIN_LIMIT_BYTES = 8L * MAX_BODY_BYTES;

    private static final Logger log = LoggerFactory.getLogger(TaxSandbox.class);
    private static final int WORKERS = 4;

    private final Object lock = new Object();
    /** Guarded by {@code lock}: the documents applied, by MessageId, in arrival order. */
    private final Map<String, Object> received = new LinkedHashMap<>();
    /** Guarded by {@code lock}: the same documents as a list, so that a reader can take only what is new. */
    private final List<Object> arrivals = new ArrayList<>();
    /** Guarded by {@code lock}. */
    private final Map<String, TaxpayerEntry> taxpayers = new HashMap<>();
    /** Guarded by {@code lock}. */
    private int duplicatesIgnored;
    /** Guarded by {@code lock}: legacy 15-digit NPWPs (digits only) the office still carries, to the NIK. */
    private final Map<String, String> legacyNpwps = new HashMap<>();
    /** Guarded by {@code lock}: the RequestIds of the status questions answered, in arrival order. */
    private final List<String> statusQuestions = new ArrayList<>();
    /** Guarded by {@code lock}: requests that reached the status endpoint, answered or failed. */
    private int statusRequests;
    private volatile int failWith;
    private volatile String refusedNik;
    private volatile Duration statusDelay = Duration.ZERO;

    /**
     * @param port the port to listen on, 0 for any free one; once bound, a restart binds the same port again, so
     *             the bus's configured URL stays right
     */
    public TaxSandbox(int port) {
        super("tax sandbox", port, WORKERS, PATH);
    }

    /** {@code http://127.0.0.1:<port>/taxpayers}, the URL to configure the bus's tax connector with. */
    public URI endpoint() {
        return url(PATH);
    }

    /**
     * Makes every request answer {@code status} with a short plain-text body, to test retries and dead letters;
     * 0 restores normal service.
     */
    public void setFailWith(int status) {
        if (status != 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("fail with 0 (normal) or a 4xx/5xx status, not " + status);
        }
        failWith = status;
    }

    /** The status endpoint, {@code http://127.0.0.1:<port>/taxpayers/status}. */
    public URI statusEndpoint() {
        return url(STATUS_PATH);
    }

    /**
     * Records that the office's data still carries a legacy 15-digit NPWP for the taxpayer with this NIK, as for a
     * taxpayer registered before the NIK became the taxpayer number: a status question by that NPWP is answered
     * about the NIK, and names both.
     *
     * @param npwp15 written {@code XX.XXX.XXX.X-XXX.XXX} or as 15 digits
     */
    public void carryLegacyNpwp(String npwp15, String nik) {
        synchronized (lock) {
            legacyNpwps.put(npwp15.replace(".", "").replace("-", ""), nik);
        }
    }

    /**
     * How many requests reached the status endpoint, also those it failed ({@link #setFailWith}) or refused: what the
     * bus sent, however it was answered.
     */
    public int statusRequests() {
        synchronized (lock) {
            return statusRequests;
        }
    }

    /** The RequestIds of every status question answered, in arrival order (a question asked twice: twice). */
    public List<String> statusQuestions() {
        synchronized (lock) {
            return List.copyOf(statusQuestions);
        }
    }

    /**
     * Makes status answers wait this long before they are sent, as an overloaded office does, to test the bus's
     * time limit; {@link Duration#ZERO} restores normal service.
     */
    public void delayStatusAnswers(Duration delay) {
        statusDelay = delay;
    }

    /** The documents applied, in arrival order; a repeated MessageId appears once. */
    public List<Object> received() {
        synchronized (lock) {
            return List.copyOf(arrivals);
        }
    }

    /** The documents applied after the first {@code from} of {@link #received()}, in arrival order. */
    public List<Object> receivedSince(int from) {
        synchronized (lock) {
            return from >= arrivals.size() ? List.of() : List.copyOf(arrivals.subList(from, arrivals.size()));
        }
    }

    /** The sandbox's current record of this taxpayer, if any message concerned them. */
    public Optional<TaxpayerRecord> taxpayer(String nik) {
        synchronized (lock) {
            return Optional.ofNullable(taxpayers.get(nik)).map(TaxpayerEntry::toRecord);
        }
    }

    /** How many messages arrived again with a MessageId already applied (and so changed nothing). */
    public int duplicatesIgnored() {
        synchronized (lock) {
            return duplicatesIgnored;
        }
    }

    @Override
    protected void handle(HttpExchange exchange) {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                log.error("tax sandbox failed on a request", e);
                LoopbackHttpServer.answerText(exchange, 500, "tax sandbox internal error");
            }
        } catch (IOException e) {
            // The client went away mid-exchange; a document is applied only after it was read completely.
            log.debug("tax sandbox exchange aborted: {}", e.toString());
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().equals(STATUS_PATH)) {
            synchronized (lock) {
                statusRequests++;
            }
        }
        int failure = failWith;
        if (failure != 0) {
            LoopbackHttpServer.answerText(exchange, failure, "tax sandbox is set to fail with " + failure);
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals(STATUS_PATH)) {
            if (method.equals("POST")) {
                status(exchange);
            } else {
                exchange.getResponseHeaders().set("Allow", "POST");
                LoopbackHttpServer.answerText(exchange, 405, "use POST on " + STATUS_PATH);
            }
        } else if (path.equals(PATH)) {
            if (method.equals("POST")) {
                receive(exchange);
            } else {
                exchange.getResponseHeaders().set("Allow", "POST");
                LoopbackHttpServer.answerText(exchange, 405, "use POST on " + PATH);
            }
        } else if (path.startsWith(PATH + "/") && path.indexOf('/', PATH.length() + 1) < 0) {
            if (method.equals("GET")) {
                show(exchange, path.substring(PATH.length() + 1));
            } else {
                exchange.getResponseHeaders().set("Allow", "GET");
                LoopbackHttpServer.answerText(exchange, 405, "use GET on " + PATH + "/{nik}");
            }
        } else {
            LoopbackHttpServer.answerText(exchange, 404, "no such resource");
        }
    }

    /** Answers a TaxpayerStatusRequest from what the office received; see the class description. */
    private void status(HttpExchange exchange) throws IOException {
        if (!isXml(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            LoopbackHttpServer.answerText(exchange, 415, "Content-Type must be " + TaxXml.MEDIA_TYPE);
            return;
        }
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        TaxpayerStatusRequest question;
        try {
            question = TaxXml.unmarshalStatusRequest(body);
        } catch (InvalidTaxDocumentException e) {
            LoopbackHttpServer.answerText(exchange, 400, e.getMessage());
            return;
        }
        TaxpayerStatusResponse answer = new TaxpayerStatusResponse();
        answer.setRequestId(question.getRequestId());
        LocalDate asOf = question.getAsOf() == null ? LocalDate.now(EventValidator.REGISTRY_ZONE)
                : TaxXml.localDate(question.getAsOf());
        answer.setAsOf(TaxXml.date(asOf));
        synchronized (lock) {
            statusQuestions.add(question.getRequestId());
            String nik = question.getNik();
            if (nik == null) {
                nik = legacyNpwps.get(question.getNpwp15().replace(".", "").replace("-", ""));
                answer.setNik(nik);
            }
            String named = nik;
            legacyNpwps.entrySet().stream().filter(e -> e.getValue().equals(named)).findFirst()
                    .ifPresent(e -> answer.setNpwp15(Npwp.format(e.getKey())));
            TaxpayerEntry entry = nik == null ? null : taxpayers.get(nik);
            TaxpayerRecord record = entry == null ? null : entry.toRecord();
            boolean registered = record != null && record.registered();
            answer.setRegistered(registered);
            answer.setStatus(!registered ? TaxpayerStatus.NOT_REGISTERED
                    : record.deceased() && !record.dateOfDeath().isAfter(asOf) ? TaxpayerStatus.INVALID
                    : TaxpayerStatus.VALID);
            if (!registered) {
                answer.setNik(null);
                answer.setNpwp15(null);
            }
        }
        Duration delay = statusDelay;
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LoopbackHttpServer.answer(exchange, 200, TaxXml.MEDIA_TYPE + "; charset=utf-8", TaxXml.marshal(answer));
    }

    private void receive(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (!isXml(contentType)) {
            LoopbackHttpServer.answerText(exchange, 415, "Content-Type must be " + TaxXml.MEDIA_TYPE);
            return;
        }
        String declaredLength = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declaredLength != null && isLongerThan(declaredLength, MAX_BODY_BYTES)) {
            refuseTooLarge(exchange);
            return;
        }
        // The exchange closes the request stream when it is done; refuseTooLarge may still have to read from it.
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            refuseTooLarge(exchange);
            return;
        }
        Object document;
        try {
            document = TaxXml.unmarshalRequest(body);
        } catch (InvalidTaxDocumentException e) {
            log.info("tax sandbox refused a document: {}", e.getMessage());
            LoopbackHttpServer.answerText(exchange, 400, e.getMessage());
            return;
        }
        if (document instanceof TaxpayerBatch batch) {
            LoopbackHttpServer.answer(exchange, 200, TaxXml.MEDIA_TYPE + "; charset=utf-8",
                    TaxXml.marshal(applyAll(batch)));
            return;
        }
        String refusal = refusal(document);
        if (refusal != null) {
            LoopbackHttpServer.answerText(exchange, 422, refusal);
            return;
        }
        String messageId = TaxXml.messageId(document);
        // Success answers carry headers only: with a body the JDK server writes twice, and Nagle's algorithm
        // against the client's delayed ACK would hold each answer back by some 40 ms.
        if (apply(messageId, document)) {
            log.info("tax sandbox applied {} {} for {}", describe(document), messageId,
                    Nik.mask(TaxXml.nik(document)));
            exchange.getResponseHeaders().set("Location", PATH + "/" + TaxXml.nik(document));
            exchange.sendResponseHeaders(201, -1);
        } else {
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /**
     * Answers 413 after reading what is left of the body, up to {@link #DRAIN_LIMIT_BYTES}: a server that closes
     * the connection while the client is still sending makes the client's socket reset, and the client then never
     * reads the 413. A body beyond the drain limit is cut off that way all the same.
     */
    private static void refuseTooLarge(HttpExchange exchange) throws IOException {
        // Read, not skip: the JDK server's body stream does not override skip(), which would read past the body.
        InputStream in = exchange.getRequestBody();
        byte[] discard = new byte[64 * 1024];
        long remaining = DRAIN_LIMIT_BYTES;
        int read;
        while (remaining > 0 && (read = in.read(discard, 0, (int) Math.min(discard.length, remaining))) > 0) {
            remaining -= read;
        }
        LoopbackHttpServer.answerText(exchange, 413, "body larger than " + MAX_BODY_BYTES + " bytes");
    }

    /**
     * Each document of a batch as if it had come alone, in order: APPLIED, DUPLICATE, or REJECTED with the reason a
     * single document would get.
     */
    private TaxpayerBatchResult applyAll(TaxpayerBatch batch) {
        TaxpayerBatchResult answer = new TaxpayerBatchResult();
        for (Object document : batch.getTaxpayerRegistrationOrTaxpayerChange()) {
            TaxpayerBatchResult.Result result = new TaxpayerBatchResult.Result();
            String messageId = TaxXml.messageId(document);
            result.setMessageId(messageId);
            String refusal = refusal(document);
            if (refusal != null) {
                result.setStatus(BatchEntryStatus.REJECTED);
                result.setReason(refusal);
            } else if (apply(messageId, document)) {
                log.info("tax sandbox applied {} {} for {} (in a batch)", describe(document), messageId,
                        Nik.mask(TaxXml.nik(document)));
                result.setStatus(BatchEntryStatus.APPLIED);
            } else {
                result.setStatus(BatchEntryStatus.DUPLICATE);
            }
            answer.getResult().add(result);
        }
        return answer;
    }

    /**
     * From now on refuses every document about this taxpayer (422 alone, REJECTED in a batch), as a tax office
     * refuses what its own rules do not accept; null stops refusing.
     */
    public void refuseDocumentsAbout(String nik) {
        refusedNik = nik;
    }

    /** Why the office refuses the document, or null. */
    private String refusal(Object document) {
        String nik = TaxXml.nik(document);
        return nik != null && nik.equals(refusedNik)
                ? "the tax office does not accept documents about taxpayer " + Nik.mask(nik) + " now" : null;
    }

    /** Applies the document unless its MessageId was applied before; true if it was applied now. */
    private boolean apply(String messageId, Object document) {
        synchronized (lock) {
            if (received.containsKey(messageId)) {
                duplicatesIgnored++;
                return false;
            }
            received.put(messageId, document);
            arrivals.add(document);
            String nik = TaxXml.nik(document);
            TaxpayerEntry entry = taxpayers.computeIfAbsent(nik, TaxpayerEntry::new);
            if (document instanceof TaxpayerRegistration registration) {
                entry.register(registration.getTaxpayer());
            } else {
                entry.change((TaxpayerChange) document);
            }
            return true;
        }
    }

    private void show(HttpExchange exchange, String nik) throws IOException {
        if (!nik.matches("[0-9]{16}")) {
            LoopbackHttpServer.answerText(exchange, 400, "not a NIK (16 digits)");
            return;
        }
        Optional<TaxpayerRecord> found = taxpayer(nik);
        if (found.isEmpty()) {
            LoopbackHttpServer.answerText(exchange, 404, "no taxpayer with this NIK");
            return;
        }
        LoopbackHttpServer.answer(exchange, 200, TaxXml.MEDIA_TYPE + "; charset=utf-8",
                TaxpayerRecordXml.write(found.get()));
    }

    private static boolean isXml(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
        return mediaType.toLowerCase(Locale.ROOT).equals(TaxXml.MEDIA_TYPE);
    }

    private static boolean isLongerThan(String contentLength, int limit) {
        try {
            return Long.parseLong(contentLength.strip()) > limit;
        } catch (NumberFormatException e) {
            return false; // the body is read with the limit anyway
        }
    }

    private static String describe(Object document) {
        if (document instanceof TaxpayerRegistration) {
            return "TaxpayerRegistration";
        }
        TaxpayerChange change = (TaxpayerChange) document;
        String what = change.getAddress() != null ? "Address"
                : change.getFullName() != null ? "FullName"
                : change.getMaritalStatus() != null ? "MaritalStatus"
                : change.getDeceased() != null ? "Deceased"
                : "NumberOfDependants";
        return "TaxpayerChange " + what;
    }

}
