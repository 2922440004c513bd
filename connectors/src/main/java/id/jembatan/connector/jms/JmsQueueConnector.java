package id.jembatan.connector.jms;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.Translator;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Events to an agency that consumes them itself over AMQP or CORE ({@code jms}): each event, translated by the
 * agency's {@link Translator} (canonical JSON unless it has a format of its own), is sent persistent to the agency's
 * own queue {@code agency.<id>.events}, which only the agency's broker user may read. Headers: the event id and type,
 * {@code JMSXGroupID} = the citizen's message group (one citizen's events in order; the bus's keyed hash of the NIK,
 * never the NIK, which the broker would log), and the broker's duplicate-detection id = the event id,
 * so a redelivery after a crash between this send and the commit of the bus's own queue reaches the agency once.
 * Thread-safe.
 */
public final class JmsQueueConnector implements AgencyConnector {

    private static final Logger log = LoggerFactory.getLogger(JmsQueueConnector.class);

    private final String agency;
    private final String queue;
    private final ConnectionFactory broker;
    private final Translator translator;
    private final UnaryOperator<String> groupOf;

    /**
     * @param agency     the agency id, for logs and exception details
     * @param queue      the agency's queue, {@code agency.<id>.events}
     * @param broker     the bus's own (pooled) connection factory; this connector only sends
     * @param translator the agency's format
     * @param groupOf    the message group of a citizen's messages, from the NIK
     */
    public JmsQueueConnector(String agency, String queue, ConnectionFactory broker, Translator translator,
                             UnaryOperator<String> groupOf) {
        this.agency = Objects.requireNonNull(agency, "agency");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.translator = Objects.requireNonNull(translator, "translator");
        this.groupOf = Objects.requireNonNull(groupOf, "groupOf");
    }

    /**
     * The send returns once the broker has the message on disk (a persistent, non-transacted send waits for it).
     *
     * @throws AgencyUnavailableException the broker refused or could not take the message; retried
     */
    @Override
    public void deliver(CitizenEvent event) {
        byte[] body = translator.toAgency(event);
        String eventId = event.eventId().toString();
        try (Connection connection = broker.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            Message message;
            if (translator.mediaType().startsWith("application/json") || translator.mediaType().startsWith("text/")) {
                message = session.createTextMessage(new String(body, StandardCharsets.UTF_8));
            } else {
                var bytes = session.createBytesMessage();
                bytes.writeBytes(body);
                message = bytes;
            }
            message.setStringProperty(BusHeaders.EVENT_ID, eventId);
            message.setStringProperty(BusHeaders.EVENT_TYPE, event.eventType().wireName());
            message.setStringProperty(BusHeaders.CONTENT_TYPE, translator.mediaType());
            message.setStringProperty(BusHeaders.GROUP_ID, groupOf.apply(event.subjectNik()));
            message.setStringProperty(BusHeaders.DUPLICATE_ID, eventId);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(message);
        } catch (JMSException e) {
            throw new AgencyUnavailableException("the queue " + queue + " of " + agency + " did not take event "
                    + eventId + ": " + e, e);
        }
        log.debug("{}: {} {} for {} queued on {}", agency, event.eventType().wireName(), eventId,
                Nik.mask(event.subjectNik()), queue);
    }
}
