package id.jembatan.connector.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import id.jembatan.connector.AgencyConnector;
import id.jembatan.schema.fixtures.CitizenFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code fhir} connector type built from the agency's settings as the bus binds them from YAML: the
 * {@code conditional-create} setting decides how a birth reaches the FHIR server.
 */
class FhirConnectorFactoryTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer fhir = fakeFhirServer();

    @AfterEach
    void stop() {
        fhir.stop(0);
    }

    /**
     * The same birth delivered with the setting absent and with {@code conditional-create: false}. Result: the first
     * is one conditional create ({@code POST Patient} with {@code If-None-Exist}); the second never POSTs, it searches
     * for the NIK and writes by conditional update, for a server that would ignore {@code If-None-Exist}.
     */
    @Test
    void conditionalCreateFollowsTheAgencySetting() {
        connector(Map.of()).deliver(fixtures.birth());
        assertThat(requests).containsExactly("POST /fhir/Patient If-None-Exist");

        requests.clear();
        connector(Map.of("jembatan.agencies.health.conditional-create", "false")).deliver(fixtures.birth());
        assertThat(requests).containsExactly("GET /fhir/Patient", "PUT /fhir/Patient");
    }

    /** The health agency bound from these settings (plus its URL), as a connector. */
    private AgencyConnector connector(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("jembatan.agencies.health.connector", "fhir");
        all.put("jembatan.agencies.health.url", "http://127.0.0.1:" + fhir.getAddress().getPort() + "/fhir");
        FhirSettings health = new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate("jembatan.agencies.health", FhirSettings.class);
        return new FhirConnectorFactory().create("health", health).orElseThrow();
    }

    /** Answers as a FHIR server with no Patients: an empty search, 201 for a create or a conditional update. */
    private HttpServer fakeFhirServer() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the fake FHIR server cannot listen on 127.0.0.1", e);
        }
        server.createContext("/fhir/Patient", exchange -> {
            try (exchange) {
                String method = exchange.getRequestMethod();
                requests.add(method + " " + exchange.getRequestURI().getPath()
                        + (exchange.getRequestHeaders().containsKey("If-None-Exist") ? " If-None-Exist" : ""));
                exchange.getRequestBody().readAllBytes();
                if (method.equals("GET")) {
                    send(exchange, 200, "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":0}");
                } else {
                    exchange.getResponseHeaders().set("Location", "http://127.0.0.1/fhir/Patient/1/_history/1");
                    exchange.sendResponseHeaders(201, -1);
                }
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/fhir+json;charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
