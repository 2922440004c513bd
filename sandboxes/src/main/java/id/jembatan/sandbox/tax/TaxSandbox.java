package id.jembatan.sandbox.tax;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import id.jembatan.connector.tax.InvalidTaxDocumentException;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.sandbox.server.LoopbackHttpServer;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.Nationality;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.tax.v1.Address;
import id.jembatan.schema.tax.v1.MaritalStatusChange;
import id.jembatan.schema.tax.v1.Taxpayer;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The tax office's side of the v1 protocol, for the demo and the tests: a real HTTP server on 127.0.0.1 that takes
 * taxpayer.xsd documents at {@code POST /taxpayers}, applies each MessageId once, and shows its record of a
 * taxpayer at {@code GET /taxpayers/{nik}}.
 *
 * <p>{@code POST /taxpayers} answers 201 (with the taxpayer's {@code Location}) when a message is applied, 200 when
 * its MessageId was applied before (nothing changes), 400 with a plain-text reason for anything that is not a valid document (including any
 * DOCTYPE), 413 above 1 MiB and 415 for another Content-Type than {@code application/xml}. What it received
 * survives {@link #stop()} and {@link #start()}, like a real office's database survives a restart of its web tier.
 * Thread-safe.
 */
public final class TaxSandbox implements AutoCloseable {

    /** The path of the collection; the bus's {@code jembatan.agencies.tax.url} points here. */
    public static final String PATH = "/taxpayers";
    /** The largest body accepted, 1 MiB: a real document is a few KiB. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** How much of an oversized body is read and thrown away so that its sender still gets the 413. */
    private static final long DRAIN_LIMIT_BYTES = 8L * MAX_BODY_BYTES;

    private static final Logger log = LoggerFactory.getLogger(TaxSandbox.class);
    private static final int WORKERS = 4;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final int requestedPort;
    private final Object lock = new Object();
    /** Guarded by {@code lock}: the documents applied, by MessageId, in arrival order. */
    private final Map<String, Object> received = new LinkedHashMap<>();
    /** Guarded by {@code lock}: the same documents as a list, so that a reader can take only what is new. */
    private final List<Object> arrivals = new ArrayList<>();
    /** Guarded by {@code lock}. */
    private final Map<String, Entry> taxpayers = new HashMap<>();
    /** Guarded by {@code lock}. */
    private int duplicatesIgnored;
    private volatile int failWith;

    /** Guarded by {@code this}, like the rest of the server's life cycle. */
    private HttpServer server;
    private ExecutorService workers;
    private int boundPort;

    /**
     * @param port the port to listen on, 0 for any free one; once bound, a restart binds the same port again, so
     *             the bus's configured URL stays right
     */
    public TaxSandbox(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        this.requestedPort = port;
    }

    /** Starts listening; does nothing if already running. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        int port = boundPort != 0 ? boundPort : requestedPort;
        HttpServer created = LoopbackHttpServer.create("tax sandbox", port);
        created.createContext(PATH, this::handle);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, workerThreads());
        created.setExecutor(pool);
        created.start();
        server = created;
        workers = pool;
        boundPort = created.getAddress().getPort();
        log.info("tax sandbox listening on {}", endpoint());
    }

    /** Stops listening and closes open connections at once; does nothing if not running. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        workers.shutdownNow();
        server = null;
        workers = null;
        log.info("tax sandbox on port {} stopped", boundPort);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The port listened on (or last listened on); before the first start, the port asked for. */
    public synchronized int port() {
        return boundPort != 0 ? boundPort : requestedPort;
    }

    /** {@code http://127.0.0.1:<port>/taxpayers}, the URL to configure the bus's tax connector with. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port() + PATH);
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
            return Optional.ofNullable(taxpayers.get(nik)).map(Entry::toRecord);
        }
    }

    /** How many messages arrived again with a MessageId already applied (and so changed nothing). */
    public int duplicatesIgnored() {
        synchronized (lock) {
            return duplicatesIgnored;
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                log.error("tax sandbox failed on a request", e);
                answer(exchange, 500, TEXT, text("tax sandbox internal error"));
            }
        } catch (IOException e) {
            // The client went away mid-exchange; a document is applied only after it was read completely.
            log.debug("tax sandbox exchange aborted: {}", e.toString());
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        int failure = failWith;
        if (failure != 0) {
            answer(exchange, failure, TEXT, text("tax sandbox is set to fail with " + failure));
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals(PATH)) {
            if (method.equals("POST")) {
                receive(exchange);
            } else {
                exchange.getResponseHeaders().set("Allow", "POST");
                answer(exchange, 405, TEXT, text("use POST on " + PATH));
            }
        } else if (path.startsWith(PATH + "/") && path.indexOf('/', PATH.length() + 1) < 0) {
            if (method.equals("GET")) {
                show(exchange, path.substring(PATH.length() + 1));
            } else {
                exchange.getResponseHeaders().set("Allow", "GET");
                answer(exchange, 405, TEXT, text("use GET on " + PATH + "/{nik}"));
            }
        } else {
            answer(exchange, 404, TEXT, text("no such resource"));
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (!isXml(contentType)) {
            answer(exchange, 415, TEXT, text("Content-Type must be " + TaxXml.MEDIA_TYPE));
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
            document = TaxXml.unmarshal(body);
        } catch (InvalidTaxDocumentException e) {
            log.info("tax sandbox refused a document: {}", e.getMessage());
            answer(exchange, 400, TEXT, text(e.getMessage()));
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
        answer(exchange, 413, TEXT, text("body larger than " + MAX_BODY_BYTES + " bytes"));
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
            Entry entry = taxpayers.computeIfAbsent(nik, Entry::new);
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
            answer(exchange, 400, TEXT, text("not a NIK (16 digits)"));
            return;
        }
        Optional<TaxpayerRecord> found = taxpayer(nik);
        if (found.isEmpty()) {
            answer(exchange, 404, TEXT, text("no taxpayer with this NIK"));
            return;
        }
        answer(exchange, 200, TaxXml.MEDIA_TYPE + "; charset=utf-8", recordXml(found.get()));
    }

    private static void answer(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] text(String message) {
        return (message + "\n").getBytes(StandardCharsets.UTF_8);
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

    /** The record as a small XML document for people looking with curl; a demo view, not part of the v1 format. */
    private static byte[] recordXml(TaxpayerRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory()
                    .createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("TaxpayerRecord");
            element(xml, 1, "Nik", record.nik());
            element(xml, 1, "Registered", record.registered());
            element(xml, 1, "FamilyCardNumber", record.familyCardNumber());
            element(xml, 1, "FullName", record.fullName());
            element(xml, 1, "BirthPlace", record.birthPlace());
            element(xml, 1, "BirthDate", record.birthDate());
            element(xml, 1, "Sex", record.sex());
            element(xml, 1, "MaritalStatus", record.maritalStatus());
            element(xml, 1, "SpouseNik", record.spouseNik());
            element(xml, 1, "MaritalStatusSince", record.maritalStatusSince());
            element(xml, 1, "NumberOfDependants", record.numberOfDependants());
            element(xml, 1, "Occupation", record.occupation());
            element(xml, 1, "Nationality", record.nationality());
            id.jembatan.schema.model.Address address = record.address();
            if (address != null) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("Address");
                element(xml, 2, "Street", address.street());
                element(xml, 2, "Rt", address.rt());
                element(xml, 2, "Rw", address.rw());
                element(xml, 2, "VillageCode", address.villageCode());
                element(xml, 2, "Village", address.village());
                element(xml, 2, "DistrictCode", address.districtCode());
                element(xml, 2, "District", address.district());
                element(xml, 2, "RegencyCode", address.regencyCode());
                element(xml, 2, "Regency", address.regency());
                element(xml, 2, "ProvinceCode", address.provinceCode());
                element(xml, 2, "Province", address.province());
                element(xml, 2, "PostalCode", address.postalCode());
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
            element(xml, 1, "DateOfDeath", record.dateOfDeath());
            element(xml, 1, "PlaceOfDeath", record.placeOfDeath());
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write a taxpayer record", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** One indented element, left out when the record has no value for it. */
    private static void element(XMLStreamWriter xml, int depth, String name, Object value)
            throws XMLStreamException {
        if (value != null) {
            xml.writeCharacters("\n" + "  ".repeat(depth));
            xml.writeStartElement(name);
            xml.writeCharacters(value.toString());
            xml.writeEndElement();
        }
    }

    private static ThreadFactory workerThreads() {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "tax-sandbox-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One taxpayer's record as the messages build it up; guarded by the sandbox's lock. */
    private static final class Entry {

        private final String nik;
        private boolean registered;
        private String familyCardNumber;
        private String fullName;
        private String birthPlace;
        private LocalDate birthDate;
        private Sex sex;
        private MaritalStatus maritalStatus;
        private String spouseNik;
        private LocalDate maritalStatusSince;
        private Integer numberOfDependants;
        private String occupation;
        private Nationality nationality;
        private id.jembatan.schema.model.Address address;
        private LocalDate dateOfDeath;
        private String placeOfDeath;

        Entry(String nik) {
            this.nik = nik;
        }

        /** A registration sets what it carries and keeps what earlier changes taught (it may come late). */
        void register(Taxpayer taxpayer) {
            registered = true;
            familyCardNumber = keep(familyCardNumber, taxpayer.getFamilyCardNumber());
            fullName = keep(fullName, taxpayer.getFullName());
            birthPlace = keep(birthPlace, taxpayer.getBirthPlace());
            birthDate = keep(birthDate, TaxXml.localDate(taxpayer.getBirthDate()));
            sex = keep(sex, taxpayer.getSex() == null ? null : Sex.valueOf(taxpayer.getSex().value()));
            maritalStatus = keep(maritalStatus, taxpayer.getMaritalStatus() == null
                    ? null : MaritalStatus.valueOf(taxpayer.getMaritalStatus().value()));
            numberOfDependants = keep(numberOfDependants, taxpayer.getNumberOfDependants());
            occupation = keep(occupation, taxpayer.getOccupation());
            nationality = keep(nationality, taxpayer.getNationality() == null
                    ? null : Nationality.valueOf(taxpayer.getNationality().value()));
            address = keep(address, address(taxpayer.getAddress()));
        }

        void change(TaxpayerChange change) {
            if (change.getAddress() != null) {
                address = address(change.getAddress());
            } else if (change.getFullName() != null) {
                fullName = change.getFullName();
            } else if (change.getMaritalStatus() != null) {
                MaritalStatusChange status = change.getMaritalStatus();
                maritalStatus = MaritalStatus.valueOf(status.getStatus().value());
                spouseNik = status.getSpouseNik();
                maritalStatusSince = TaxXml.localDate(status.getEffectiveDate());
            } else if (change.getDeceased() != null) {
                dateOfDeath = TaxXml.localDate(change.getDeceased().getDateOfDeath());
                placeOfDeath = change.getDeceased().getPlaceOfDeath();
            } else if (change.getNumberOfDependants() != null) {
                numberOfDependants = change.getNumberOfDependants();
            }
        }

        TaxpayerRecord toRecord() {
            return new TaxpayerRecord(nik, registered, familyCardNumber, fullName, birthPlace, birthDate, sex,
                    maritalStatus, spouseNik, maritalStatusSince, numberOfDependants, occupation, nationality,
                    address, dateOfDeath, placeOfDeath);
        }

        private static <T> T keep(T current, T received) {
            return received != null ? received : current;
        }

        private static id.jembatan.schema.model.Address address(Address from) {
            return from == null ? null : new id.jembatan.schema.model.Address(from.getStreet(), from.getRt(),
                    from.getRw(), from.getVillageCode(), from.getVillage(), from.getDistrictCode(),
                    from.getDistrict(), from.getRegencyCode(), from.getRegency(), from.getProvinceCode(),
                    from.getProvince(), from.getPostalCode());
        }
    }
}
