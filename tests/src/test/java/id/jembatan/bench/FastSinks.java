package id.jembatan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import id.jembatan.sandbox.server.LoopbackHttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tax office and the health agency as fast local sinks, as the benchmark asks: they take what the bus's real
 * connectors send (the tax office's XML documents, alone or in a {@code TaxpayerBatch}; the health agency's FHIR
 * conditional create, search and conditional update, and {@code batch} Bundles of conditional creates, searches,
 * reads and updates by id with {@code If-Match}) and answer as the agencies (the demo sandboxes) would, but do none
 * of an agency's own work (no XSD validation, no FHIR server), so that the benchmark measures the bus and not the
 * demo sandboxes sharing its cores. What arrived is kept in arrival order: the tax documents' MessageIds (each
 * document of a batch) and the NIKs of the Patients written (each write of a batch).
 */
final class FastSinks implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FHIR_JSON = "application/fhir+json;charset=utf-8";
    private static final byte[] EMPTY_BUNDLE =
            "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":0}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8);
    private final List<String> taxMessageIds = new ArrayList<>();
    private final List<String> patientWrites = new ArrayList<>();
    /** The Patients held, by NIK, as JSON with their id and meta.versionId. */
    private final Map<String, String> patients = new ConcurrentHashMap<>();
    /** The NIK of each Patient held, by id. */
    private final Map<String, String> niks = new ConcurrentHashMap<>();
    /** The tax MessageIds applied, to answer a repeat DUPLICATE in a batch as the tax office does. */
    private final Set<String> taxApplied = ConcurrentHashMap.newKeySet();
    /** Held while a Patient is read and written, so that a version check and its write are one step. */
    private final Object writes = new Object();
    private final AtomicLong ids = new AtomicLong();
    /** Requests that were not batches: the tax office's documents alone, the FHIR requests at /fhir/Patient. */
    private final AtomicLong singleRequests = new AtomicLong();

    private FastSinks() throws IOException {
        // The sandboxes' server (TCP_NODELAY: no 40 ms delayed-ACK stall on each answer).
        server = LoopbackHttpServer.create("benchmark sinks", 0);
        server.createContext("/taxpayers", this::tax);
        server.createContext("/fhir/Patient", this::patient);
        server.createContext("/fhir", this::fhirBatch);
        server.setExecutor(workers);
        server.start();
    }

    static FastSinks start() throws IOException {
        return new FastSinks();
    }

    /** Arguments that point the demo's tax and health agencies at these sinks. */
    List<String> busArgs() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return List.of("--jembatan.agencies.tax.url=" + base + "/taxpayers",
                "--jembatan.services.tax.taxpayer-status.url=" + base + "/taxpayers/status",
                "--jembatan.agencies.health.url=" + base + "/fhir");
    }

    /** The MessageIds of the tax documents received after the first {@code from}, in arrival order. */
    List<String> taxSince(int from) {
        synchronized (taxMessageIds) {
            return from >= taxMessageIds.size() ? List.of()
                    : List.copyOf(taxMessageIds.subList(from, taxMessageIds.size()));
        }
    }

    /** The NIKs of the Patients written after the first {@code from}, in arrival order. */
    List<String> patientsSince(int from) {
        synchronized (patientWrites) {
            return from >= patientWrites.size() ? List.of()
                    : List.copyOf(patientWrites.subList(from, patientWrites.size()));
        }
    }

    int patientWrites() {
        synchronized (patientWrites) {
            return patientWrites.size();
        }
    }

    /** How many requests were not batches (documents alone, FHIR requests other than a batch Bundle). */
    long singleRequests() {
        return singleRequests.get();
    }

    int taxDocuments() {
        synchronized (taxMessageIds) {
            return taxMessageIds.size();
        }
    }

    /**
     * {@code POST /taxpayers}: 200 for a document with a MessageId, 400 otherwise; for a {@code TaxpayerBatch}, 200
     * with a {@code TaxpayerBatchResult} as the tax office answers it (one Result per document, in order: APPLIED,
     * or DUPLICATE for a MessageId applied before), every document's MessageId recorded.
     */
    private void tax(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(read(exchange), StandardCharsets.UTF_8);
            List<String> messageIds = messageIds(body);
            if (!"POST".equals(exchange.getRequestMethod()) || messageIds.isEmpty()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            synchronized (taxMessageIds) {
                taxMessageIds.addAll(messageIds);
            }
            if (!body.contains("<TaxpayerBatch")) {
                singleRequests.incrementAndGet();
                taxApplied.add(messageIds.get(0));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            StringBuilder answer = new StringBuilder(64 + 120 * messageIds.size())
                    .append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
                    .append("<TaxpayerBatchResult xmlns=\"https://jembatan.id/schemas/tax/v1\">");
            for (String messageId : messageIds) {
                answer.append("<Result><MessageId>").append(messageId).append("</MessageId><Status>")
                        .append(taxApplied.add(messageId) ? "APPLIED" : "DUPLICATE").append("</Status></Result>");
            }
            answer.append("</TaxpayerBatchResult>");
            exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
            send(exchange, 200, answer.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The MessageIds of the documents in the body, in order (one per document, alone or in a batch). */
    private static List<String> messageIds(String body) {
        List<String> messageIds = new ArrayList<>();
        for (int start = body.indexOf("<MessageId>"); start >= 0; start = body.indexOf("<MessageId>", start)) {
            int end = body.indexOf("</MessageId>", start);
            if (end < 0) {
                return List.of();
            }
            messageIds.add(body.substring(start + "<MessageId>".length(), end).strip());
            start = end;
        }
        return messageIds;
    }

    /**
     * {@code GET /fhir/Patient?identifier=<system>|<nik>}: a searchset Bundle with the Patient written for that NIK,
     * if any; {@code PUT /fhir/Patient?identifier=...}: the conditional update, stored with an id and a version
     * (201 when new, 200 otherwise); {@code POST /fhir/Patient} with {@code If-None-Exist: identifier=...}: the
     * conditional create (201 and stored when new, 200 with the Patient held otherwise). Writes sent with
     * {@code Prefer: return=minimal} (the connector's) are answered with the status and {@code Location} only, as a
     * FHIR server does (HAPI's among them): the Patient is not written back.
     */
    private void patient(HttpExchange exchange) throws IOException {
        try (exchange) {
            singleRequests.incrementAndGet();
            boolean create = "POST".equals(exchange.getRequestMethod());
            String nik = nik(create ? exchange.getRequestHeaders().getFirst("If-None-Exist")
                    : exchange.getRequestURI().getRawQuery());
            if (nik == null) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", FHIR_JSON);
            if ("GET".equals(exchange.getRequestMethod())) {
                String stored = patients.get(nik);
                byte[] answer = stored == null ? EMPTY_BUNDLE
                        : ("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":1,\"entry\":[{\"resource\":"
                        + stored + ",\"search\":{\"mode\":\"match\"}}]}").getBytes(StandardCharsets.UTF_8);
                send(exchange, 200, answer);
                return;
            }
            if (!create && !"PUT".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ObjectNode patient = (ObjectNode) JSON.readTree(read(exchange));
            String prefer = exchange.getRequestHeaders().getFirst("Prefer");
            boolean minimal = prefer != null && prefer.contains("return=minimal");
            Written written;
            synchronized (writes) {
                String previous = patients.get(nik);
                if (create && previous != null) {
                    // A conditional create that matches: nothing is created, the match is the answer.
                    sendWritten(exchange, 200, previous.getBytes(StandardCharsets.UTF_8), minimal);
                    return;
                }
                written = store(nik, patient, previous);
            }
            exchange.getResponseHeaders().set("Location", location(written));
            sendWritten(exchange, written.created() ? 201 : 200, written.json(), minimal);
        }
    }

    /** A Patient stored: its id, version, JSON, and whether it is new. */
    private record Written(String id, long version, byte[] json, boolean created) {
    }

    /** Stores the Patient for the NIK with the next version of the one held, if any; records the write. */
    private Written store(String nik, ObjectNode patient, String previous) throws IOException {
        JsonNode held = previous == null ? null : JSON.readTree(previous);
        String id = held == null ? Long.toString(ids.incrementAndGet()) : held.path("id").asText();
        long version = held == null ? 1 : held.path("meta").path("versionId").asLong() + 1;
        patient.put("id", id);
        patient.withObject("/meta").put("versionId", Long.toString(version));
        byte[] stored = JSON.writeValueAsBytes(patient);
        patients.put(nik, new String(stored, StandardCharsets.UTF_8));
        niks.put(id, nik);
        synchronized (patientWrites) {
            patientWrites.add(nik);
        }
        return new Written(id, version, stored, held == null);
    }

    private String location(Written written) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/Patient/" + written.id() + "/_history/"
                + written.version();
    }

    /**
     * {@code POST /fhir} with a {@code batch} Bundle: a {@code batch-response} Bundle with one entry per request
     * entry, in order, as the health sandbox answers it: {@code POST Patient} with {@code If-None-Exist} (201 and
     * stored when new, 200 when a Patient with the NIK is held), {@code GET Patient?identifier=} (200, a
     * searchset), {@code GET Patient/<id>} (200 with the Patient, 404 when unknown), {@code PUT Patient/<id>} with
     * {@code If-Match} (200 and the next version; 412 when the version is not the one held, 404 when unknown).
     * Writes carry their {@code location} and {@code etag}, and with {@code Prefer: return=minimal} no resource.
     * Anything else at the base is refused (404), any other entry answered 400.
     */
    private void fhirBatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !(path.equals("/fhir") || path.equals("/fhir/"))) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            JsonNode bundle = JSON.readTree(read(exchange));
            if (!"Bundle".equals(bundle.path("resourceType").asText()) || !"batch".equals(bundle.path("type").asText())) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String prefer = exchange.getRequestHeaders().getFirst("Prefer");
            boolean minimal = prefer != null && prefer.contains("return=minimal");
            ObjectNode response = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "batch-response");
            ArrayNode answers = response.putArray("entry");
            for (JsonNode entry : bundle.path("entry")) {
                answers.add(answer(entry, minimal));
            }
            exchange.getResponseHeaders().set("Content-Type", FHIR_JSON);
            send(exchange, 200, JSON.writeValueAsBytes(response));
        }
    }

    /** The batch-response entry for one request entry; see {@link #fhirBatch}. */
    private ObjectNode answer(JsonNode entry, boolean minimal) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        JsonNode request = entry.path("request");
        String method = request.path("method").asText();
        String url = request.path("url").asText();
        JsonNode resource = entry.path("resource");
        if ("GET".equals(method) && url.startsWith("Patient?")) {
            String nik = nik(url.substring("Patient?".length()));
            if (nik == null) {
                return status(answer, "400 Bad Request");
            }
            String stored = patients.get(nik);
            ObjectNode searchset = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "searchset")
                    .put("total", stored == null ? 0 : 1);
            if (stored != null) {
                searchset.putArray("entry").addObject().<ObjectNode>set("resource", JSON.readTree(stored))
                        .putObject("search").put("mode", "match");
            }
            answer.set("resource", searchset);
            return status(answer, "200 OK");
        }
        if ("GET".equals(method) && url.startsWith("Patient/")) {
            String nik = niks.get(url.substring("Patient/".length()));
            String stored = nik == null ? null : patients.get(nik);
            if (stored == null) {
                return status(answer, "404 Not Found");
            }
            answer.set("resource", JSON.readTree(stored));
            return status(answer, "200 OK");
        }
        if (!resource.isObject() || !"Patient".equals(resource.path("resourceType").asText())) {
            return status(answer, "400 Bad Request");
        }
        Written written;
        if ("POST".equals(method) && "Patient".equals(url)) {
            String nik = nik(request.path("ifNoneExist").asText(null));
            if (nik == null) {
                return status(answer, "400 Bad Request");
            }
            synchronized (writes) {
                String previous = patients.get(nik);
                if (previous != null) {
                    // A conditional create that matches: nothing is created, the match is the answer.
                    JsonNode held = JSON.readTree(previous);
                    if (!minimal) {
                        answer.set("resource", held);
                    }
                    answer.putObject("response").put("status", "200 OK")
                            .put("location", "Patient/" + held.path("id").asText() + "/_history/"
                                    + held.path("meta").path("versionId").asText())
                            .put("etag", "W/\"" + held.path("meta").path("versionId").asText() + "\"");
                    return answer;
                }
                written = store(nik, (ObjectNode) resource.deepCopy(), null);
            }
        } else if ("PUT".equals(method) && url.startsWith("Patient/")) {
            String nik = niks.get(url.substring("Patient/".length()));
            String ifMatch = request.path("ifMatch").asText(null);
            synchronized (writes) {
                String previous = nik == null ? null : patients.get(nik);
                if (previous == null) {
                    return status(answer, "404 Not Found");
                }
                String version = JSON.readTree(previous).path("meta").path("versionId").asText();
                if (ifMatch != null && !ifMatch.replaceAll("^W/\"|\"$", "").equals(version)) {
                    return status(answer, "412 Precondition Failed");
                }
                written = store(nik, (ObjectNode) resource.deepCopy(), previous);
            }
        } else {
            return status(answer, "400 Bad Request");
        }
        if (!minimal) {
            answer.set("resource", JSON.readTree(written.json()));
        }
        answer.putObject("response").put("status", written.created() ? "201 Created" : "200 OK")
                .put("location", "Patient/" + written.id() + "/_history/" + written.version())
                .put("etag", "W/\"" + written.version() + "\"");
        return answer;
    }

    private static ObjectNode status(ObjectNode answer, String status) {
        answer.putObject("response").put("status", status);
        return answer;
    }

    private static void sendWritten(HttpExchange exchange, int status, byte[] patient, boolean minimal)
            throws IOException {
        if (minimal) {
            exchange.getResponseHeaders().remove("Content-Type");
            exchange.sendResponseHeaders(status, -1);
        } else {
            send(exchange, status, patient);
        }
    }

    private static String nik(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("identifier=")) {
                String value = URLDecoder.decode(pair.substring("identifier=".length()), StandardCharsets.UTF_8);
                int bar = value.lastIndexOf('|');
                return bar < 0 ? null : value.substring(bar + 1);
            }
        }
        return null;
    }

    private static byte[] read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
