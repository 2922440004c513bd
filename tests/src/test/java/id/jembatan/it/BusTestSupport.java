package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.bus.MessageGroups;
import id.jembatan.sandbox.civilregistry.CivilRegistrySandbox;
import id.jembatan.sandbox.civilregistry.ReceivedNotification;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.testkit.JembatanBusTest;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.management.ObjectNameBuilder;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import javax.management.MBeanServerInvocationHandler;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

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

    /** The civil registry's inbox in the kit's bus (the demo's sandbox); absent when the sandboxes are off. */
    @Autowired(required = false)
    protected CivilRegistrySandbox civilRegistryInbox;

    @Value("${jembatan.broker.name}")
    private String brokerName;

    /**
     * The bus's broker's management view of one of its queues, as an operator reads it in JConsole or Hawtio: what
     * waits there, who consumes it, what waits for redelivery.
     */
    protected QueueControl brokerQueue(String address, String queue, RoutingType routing) {
        try {
            ObjectName name = ObjectNameBuilder.create(null, brokerName, true)
                    .getQueueObjectName(SimpleString.of(address), SimpleString.of(queue), routing);
            return MBeanServerInvocationHandler.newProxyInstance(ManagementFactory.getPlatformMBeanServer(), name,
                    QueueControl.class, false);
        } catch (Exception e) {
            throw new IllegalStateException("no management name for queue " + queue, e);
        }
    }

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

    /** The operators' MBean of an agency ({@code id.jembatan:type=Agency,name=<id>}): backlog, failures, pause. */
    protected static ObjectName agencyMBean(String agency) {
        try {
            return new ObjectName("id.jembatan:type=Agency,name=" + agency);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(agency, e);
        }
    }

    /**
     * The event ids of everything published from now on, in order, up to and including {@code markerEventId}: what
     * came before a marker the test published last, instead of what came within a quiet period.
     */
    protected static List<String> publishedThrough(MessageConsumer consumer, String markerEventId)
            throws JMSException {
        List<String> ids = new ArrayList<>();
        while (ids.isEmpty() || !ids.get(ids.size() - 1).equals(markerEventId)) {
            Message m = consumer.receive(DEFAULT_WAIT.toMillis());
            assertThat(m).as("event %s published within %s, after %s", markerEventId, DEFAULT_WAIT, ids).isNotNull();
            ids.add(m.getStringProperty("JembatanEventId"));
        }
        return ids;
    }

    /** A new valid citizen the civil registry has registered (its BirthRegistered accepted). */
    protected Citizen registerCitizen() {
        Citizen citizen = citizens.citizen();
        HttpResponse<String> accepted = postJson("/api/v1/events", CIVIL_REGISTRY_KEY,
                CitizenFixtures.json(citizens.birth(citizen)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return citizen;
    }

    /** What the civil registry's inbox (the in-process sandbox) received with this notification id. */
    protected List<ReceivedNotification> receivedByCivilRegistry(UUID notificationId) {
        return civilRegistryInbox.notifications().stream()
                .filter(n -> n.notification().notificationId().equals(notificationId)).toList();
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

    /**
     * A refusal of the v1 API as the contract promises it: {@code status}, {@code Content-Type:
     * application/problem+json}, a body with that {@code status}, the stable {@code code}, a title, a type under
     * {@code https://jembatan.id/problems/}, and nothing of the bus's insides (no exception, no stack frame).
     *
     * @return the problem, for what a test checks beyond that
     */
    public static JsonNode assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(response.body())
                .hasValue("application/problem+json");
        JsonNode problem = read(response);
        assertThat(problem.path("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).as(response.body()).isEqualTo(status);
        assertThat(problem.path("title").asText()).as(response.body()).isNotBlank();
        assertThat(problem.path("type").asText()).as(response.body()).startsWith("https://jembatan.id/problems/");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at id.jembatan");
        return problem;
    }

    /** {@link #assertProblem} with a field error ({@code errors[].pointer}) at each of {@code pointers}. */
    public static JsonNode assertFieldProblem(HttpResponse<String> response, int status, String code,
                                              String... pointers) {
        JsonNode problem = assertProblem(response, status, code);
        assertThat(problem.path("errors").findValuesAsText("pointer")).as(response.body()).contains(pointers);
        return problem;
    }

    protected static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
