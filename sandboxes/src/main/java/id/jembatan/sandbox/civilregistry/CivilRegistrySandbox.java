package id.jembatan.sandbox.civilregistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import id.jembatan.sandbox.server.HttpSandbox;
import id.jembatan.sandbox.server.LoopbackHttpServer;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.OwnerNotification;
import id.jembatan.schema.rules.Nik;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The civil registry's side of the notifications flow, for the demo and the tests: its inbox is a JMS consumer of
 * the bus's notifications queue ({@code civilregistry.notifications}); it keeps every notification it receives, in
 * arrival order, and shows them as JSON at {@code GET /notifications} on a small HTTP server on 127.0.0.1.
 *
 * <p>It keeps every message it receives, repeats included: keeping a repeated notification out is the bus's job
 * (broker duplicate detection on the notification id), and the sandbox shows whether it did. It changes nothing at
 * the bus either: the registry confirms a reported death with its own {@code DeathRegistered}, posted through the
 * ingest API like any other event. What it received survives {@link #stop()} and {@link #start()}. Thread-safe.
 */
public final class CivilRegistrySandbox extends HttpSandbox {

    /** The path of the HTTP view of the inbox. */
    public static final String PATH = "/notifications";
    /** The body property naming the reporting agency, next to the notification's own fields. */
    private static final String REPORTED_BY = "reportedBy";

    private static final Logger log = LoggerFactory.getLogger(CivilRegistrySandbox.class);
    private static final String JSON = "application/json; charset=utf-8";

    private final ConnectionFactory connectionFactory;
    private final String queue;
    private final Clock clock;
    /** Guarded by itself. */
    private final List<ReceivedNotification> received = new ArrayList<>();

    /** Guarded by {@code this}, like the rest of the life cycle. */
    private Connection connection;

    /**
     * @param connectionFactory a factory for the broker the bus routes notifications on; the inbox holds one
     *                          connection and consumer of its own while running
     * @param queue             the inbox queue ({@code jembatan.notifications.queue})
     * @param port              the HTTP port, 0 for any free one; once bound, a restart binds the same port again
     */
    public CivilRegistrySandbox(ConnectionFactory connectionFactory, String queue, int port) {
        this(connectionFactory, queue, port, Clock.systemUTC());
    }

    CivilRegistrySandbox(ConnectionFactory connectionFactory, String queue, int port, Clock clock) {
        super("civil registry sandbox", port, 2, "/");
        this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = clock;
    }

    /** Consumes the inbox once the HTTP view listens. */
    @Override
    protected void started() {
        try {
            connection = connectInbox();
        } catch (JMSException e) {
            throw new IllegalStateException("civil registry sandbox cannot consume the queue " + queue, e);
        }
        log.info("civil registry sandbox consuming {}, showing it on {}", queue, endpoint());
    }

    @Override
    protected void stopping() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (JMSException e) {
            log.debug("closing the civil registry sandbox's broker connection failed", e);
        }
        connection = null;
    }

    /** {@code http://127.0.0.1:<port>/notifications}. */
    public URI endpoint() {
        return url(PATH);
    }

    /** Every notification received, in arrival order, repeats included. */
    public List<ReceivedNotification> notifications() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private Connection connectInbox() throws JMSException {
        Connection created = connectionFactory.createConnection();
        try {
            created.setExceptionListener(e -> log.warn("civil registry sandbox lost its broker connection: {}",
                    e.toString()));
            Session session = created.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue(queue)).setMessageListener(this::receive);
            created.start();
            return created;
        } catch (JMSException | RuntimeException e) {
            created.close();
            throw e;
        }
    }

    /**
     * Keeps a notification. A message it cannot read is logged, without its content (which holds a NIK), and
     * dropped: the demo registry has no dead-letter handling of its own.
     */
    private void receive(Message message) {
        try {
            String json = message instanceof TextMessage text ? text.getText() : null;
            JsonNode tree = json == null ? null : CanonicalJson.mapper().readTree(json);
            if (!(tree instanceof ObjectNode body)) {
                log.warn("civil registry sandbox dropped message {}: not a JSON object in a text message",
                        message.getJMSMessageID());
                return;
            }
            JsonNode reportedBy = body.remove(REPORTED_BY);
            OwnerNotification notification = CanonicalJson.mapper().treeToValue(body, OwnerNotification.class);
            ReceivedNotification entry = new ReceivedNotification(notification,
                    reportedBy == null ? null : reportedBy.asText(), busProperties(message),
                    message.getJMSDeliveryMode() == DeliveryMode.PERSISTENT, clock.instant());
            synchronized (received) {
                received.add(entry);
            }
            log.info("civil registry sandbox received {} {} for {} from {}",
                    notification.notificationType().wireName(), notification.notificationId(),
                    Nik.mask(notification.subjectNik()), entry.reportedBy());
        } catch (JMSException | JsonProcessingException e) {
            log.warn("civil registry sandbox dropped a message it cannot read: {}", e.getClass().getSimpleName());
        }
    }

    /** The message properties the bus sets that the inbox records: the message group, and its own. */
    private static Map<String, String> busProperties(Message message) throws JMSException {
        Map<String, String> properties = new LinkedHashMap<>();
        String group = message.getStringProperty(BusHeaders.GROUP_ID);
        if (group != null) {
            properties.put(BusHeaders.GROUP_ID, group);
        }
        for (Object name : Collections.list(message.getPropertyNames())) {
            String property = String.valueOf(name);
            if (property.startsWith(BusHeaders.PREFIX)) {
                properties.put(property, String.valueOf(message.getObjectProperty(property)));
            }
        }
        return properties;
    }

    @Override
    protected void handle(HttpExchange exchange) {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                LoopbackHttpServer.answerText(exchange, 404, "no such resource");
            } else if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                LoopbackHttpServer.answerText(exchange, 405, "use GET on " + PATH);
            } else {
                LoopbackHttpServer.answer(exchange, 200, JSON,
                        CanonicalJson.mapper().writeValueAsBytes(notifications()));
            }
        } catch (IOException e) {
            log.debug("civil registry sandbox exchange aborted: {}", e.toString());
        } catch (RuntimeException e) {
            log.error("civil registry sandbox failed on a request", e);
        }
    }
}
