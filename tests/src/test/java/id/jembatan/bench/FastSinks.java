package id.jembatan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tax office and the health agency as fast local sinks, as the benchmark asks: they take what the bus's real
 * connectors send (the tax office's XML documents, the health agency's FHIR conditional create, search and
 * conditional update) and answer as the agencies would, but do none of an agency's own work (no XSD validation, no
 * FHIR server), so that the benchmark measures the bus and not the demo sandboxes sharing its cores. What arrived
 * is kept in arrival order: the tax documents' MessageIds and the NIKs of the Patients written.
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
    private final Map<String, String> patients = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private FastSinks() throws IOException {
        // The sandboxes' server (TCP_NODELAY: no 40 ms delayed-ACK stall on each answer).
        server = LoopbackHttpServer.create("benchmark sinks", 0);
        server.createContext("/taxpayers", this::tax);
        server.createContext("/fhir/Patient", this::patient);
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

    int taxDocuments() {
        synchronized (taxMessageIds) {
            return taxMessageIds.size();
        }
    }

    /** {@code POST /taxpayers}: 200 for a document with a MessageId, 400 otherwise. */
    private void tax(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(read(exchange), StandardCharsets.UTF_8);
            int start = body.indexOf("<MessageId>");
            int end = body.indexOf("</MessageId>");
            if (!"POST".equals(exchange.getRequestMethod()) || start < 0 || end < start) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String messageId = body.substring(start + "<MessageId>".length(), end).strip();
            synchronized (taxMessageIds) {
                taxMessageIds.add(messageId);
            }
            exchange.sendResponseHeaders(200, -1);
        }
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
            String previous = patients.get(nik);
            String prefer = exchange.getRequestHeaders().getFirst("Prefer");
            boolean minimal = prefer != null && prefer.contains("return=minimal");
            if (create && previous != null) {
                // A conditional create that matches: nothing is created, the match is the answer.
                sendWritten(exchange, 200, previous.getBytes(StandardCharsets.UTF_8), minimal);
                return;
            }
            String id = previous == null ? Long.toString(ids.incrementAndGet()) : JSON.readTree(previous).path("id").asText();
            long version = previous == null ? 1 : JSON.readTree(previous).path("meta").path("versionId").asLong() + 1;
            patient.put("id", id);
            patient.withObject("/meta").put("versionId", Long.toString(version));
            byte[] stored = JSON.writeValueAsBytes(patient);
            patients.put(nik, new String(stored, StandardCharsets.UTF_8));
            synchronized (patientWrites) {
                patientWrites.add(nik);
            }
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
            exchange.getResponseHeaders().set("Location", base + "/Patient/" + id + "/_history/" + version);
            sendWritten(exchange, previous == null ? 201 : 200, stored, minimal);
        }
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
