package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.bus.MessageGroups;
import id.jembatan.testkit.JembatanBusTest;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bus of the test kit ({@link JembatanBusTest}: started once per test JVM, embedded broker on a free port, H2
 * in a temporary data folder, real HTTP on a random port) with the helpers of our own ITs: HTTP with an API key,
 * JMS over TCP.
 */
public abstract class BusTestSupport extends JembatanBusTest {

    public static final String TAX_KEY = "demo-tax-key";
    public static final String HEALTH_KEY = "demo-health-key";
    public static final String LICENSING_KEY = "demo-licensing-key";
    public static final String CITIZEN_PORTAL_KEY = "demo-citizen-portal-key";

    protected static final ObjectMapper JSON = new ObjectMapper();

    private final List<Connection> connections = new ArrayList<>();

    @Autowired
    private MessageGroups groups;

    /** The message group the bus gives a citizen's messages on the broker (a keyed hash of the NIK). */
    protected String groupOf(String nik) {
        return groups.of(nik);
    }

    @AfterEach
    void closeConnections() throws JMSException {
        for (Connection c : connections) {
            c.close();
        }
        connections.clear();
    }

    /** A session, signed in to the broker as an operator, on a started connection closed after the test. */
    protected Session session(boolean transacted) throws JMSException {
        Connection connection = operatorConnectionFactory().createConnection();
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

    protected static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
