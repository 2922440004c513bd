package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.JembatanApplication;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the whole bus once per test JVM (embedded broker with its TCP acceptor on a free port, H2 in a temporary
 * data folder, real HTTP on a random port) and talks to it the way an agency does: HTTP with an API key, JMS over
 * TCP.
 */
@SpringBootTest(classes = JembatanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class BusTestSupport {

    public static final String CIVIL_REGISTRY_KEY = "demo-civil-registry-key";
    public static final String TAX_KEY = "demo-tax-key";
    public static final String HEALTH_KEY = "demo-health-key";
    public static final String LICENSING_KEY = "demo-licensing-key";
    public static final String CITIZEN_PORTAL_KEY = "demo-citizen-portal-key";
    public static final String OPERATOR_KEY = "demo-operator-key";

    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path DATA_DIR = createDataDir();
    private static final int BROKER_PORT = freePort();
    private static final int TAX_PORT = freePort();
    private static final int HEALTH_PORT = freePort();
    private static final int CIVIL_REGISTRY_PORT = freePort();

    private final List<Connection> connections = new ArrayList<>();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void busProperties(DynamicPropertyRegistry registry) {
        registry.add("jembatan.data-dir", DATA_DIR::toString);
        registry.add("jembatan.broker.port", () -> BROKER_PORT);
        registry.add("spring.jmx.unique-names", () -> true);
        // Spring Boot's test support turns metrics exporters off; the operator console serves Prometheus.
        registry.add("management.prometheus.metrics.export.enabled", () -> true);
        registry.add("jembatan.sandbox.tax-port", () -> TAX_PORT);
        registry.add("jembatan.sandbox.health-port", () -> HEALTH_PORT);
        registry.add("jembatan.sandbox.civil-registry-port", () -> CIVIL_REGISTRY_PORT);
        // A verification budget a test can use up in a few dozen requests; only VerificationIT verifies.
        registry.add("jembatan.verification.rate-limit.requests", () -> 10);
        registry.add("jembatan.verification.rate-limit.period", () -> "5s");
        // Retries and batches on a test scale: an unreachable agency is retried every second at most, a refused
        // event is dead-lettered after three attempts.
        for (String agency : new String[]{"tax", "health", "licensing"}) {
            registry.add("jembatan.agencies." + agency + ".delivery.redelivery-delay", () -> "100ms");
            registry.add("jembatan.agencies." + agency + ".delivery.maximum-redelivery-delay", () -> "1s");
            registry.add("jembatan.agencies." + agency + ".delivery.maximum-redeliveries", () -> 2);
        }
        registry.add("jembatan.agencies.licensing.delivery.batch-interval", () -> "200ms");
    }

    @AfterEach
    void closeConnections() throws JMSException {
        for (Connection c : connections) {
            c.close();
        }
        connections.clear();
    }

    /** A broker client as an agency would connect: over TCP to the bus's CORE+AMQP acceptor. */
    protected static ConnectionFactory agencyConnectionFactory() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + BROKER_PORT);
    }

    /** A session on a started connection that is closed after the test. */
    protected Session session(boolean transacted) throws JMSException {
        Connection connection = agencyConnectionFactory().createConnection();
        connections.add(connection);
        connection.start();
        return connection.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
    }

    /** A subscriber of {@code citizen.events} that receives what is published from now on. */
    protected MessageConsumer subscribeToCitizenEvents() throws JMSException {
        Session session = session(false);
        return session.createConsumer(session.createTopic("citizen.events"));
    }

    /** Receives published messages until one with the given event id arrives (others are skipped). */
    protected static Message receiveEvent(MessageConsumer consumer, String eventId) throws JMSException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Message m = consumer.receive(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (m != null && eventId.equals(m.getStringProperty("JembatanEventId"))) {
                return m;
            }
        }
        throw new AssertionError("event " + eventId + " was not published within 20 s");
    }

    protected HttpResponse<String> postJson(String path, String apiKey, String body) {
        return send(request(path, apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    protected HttpResponse<String> get(String path, String apiKey) {
        return send(request(path, apiKey).GET());
    }

    protected HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        return builder;
    }

    protected static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("jembatan-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
