package id.jembatan.connector.jms;

import id.jembatan.connector.QueueConnector;
import id.jembatan.connector.Translator;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.model.CitizenEvent;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Events to an agency that consumes them itself over AMQP or CORE ({@code jms}): each event, translated by the
 * agency's {@link Translator} (canonical JSON unless it has a format of its own), goes persistent to the agency's
 * own queue {@code agency.<id>.events}, which only the agency's broker user may read, in the transaction in which
 * the bus took it from its own queue (the delivery route sends it). A text message for a JSON or text format, a
 * bytes message otherwise. Properties: the event id and type, the payload's media type and {@code JMSXGroupID} =
 * the citizen's message group (one citizen's events in order; the bus's keyed hash of the NIK, never the NIK, which
 * the broker would log). No duplicate-detection id: the send commits with the consumption of the bus's own queue,
 * so a crash sends again only what was never taken, and a repeat id inside that transaction would roll the whole
 * delivery back each time (an event replayed from the dead letters after the agency already had it); agencies drop
 * repeats by the event id. Thread-safe.
 */
public final class JmsQueueConnector implements QueueConnector {

    private final String queue;
    private final Translator translator;
    private final UnaryOperator<String> groupOf;

    /**
     * @param queue      the agency's queue, {@code agency.<id>.events}
     * @param translator the agency's format
     * @param groupOf    the message group of a citizen's messages, from the NIK
     */
    public JmsQueueConnector(String queue, Translator translator, UnaryOperator<String> groupOf) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.translator = Objects.requireNonNull(translator, "translator");
        this.groupOf = Objects.requireNonNull(groupOf, "groupOf");
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public QueueMessage message(CitizenEvent event) {
        byte[] payload = translator.toAgency(event);
        String mediaType = translator.mediaType();
        Object body = mediaType.startsWith("application/json") || mediaType.startsWith("text/")
                ? new String(payload, StandardCharsets.UTF_8) : payload;
        return new QueueMessage(body, Map.of(
                BusHeaders.EVENT_ID, event.eventId().toString(),
                BusHeaders.EVENT_TYPE, event.eventType().wireName(),
                BusHeaders.CONTENT_TYPE, mediaType,
                BusHeaders.GROUP_ID, groupOf.apply(event.subjectNik())));
    }
}
