package id.jembatan.connector;

import id.jembatan.schema.model.CitizenEvent;

import java.util.Map;

/**
 * Delivers canonical events to an agency that reads them from a queue of the bus's own broker. It does not send: it
 * says what goes on the queue, and the delivery route sends that with its own {@code jms:} step, in the broker
 * transaction in which it took the event from the agency's queue on {@code citizen.events}; so the event is taken
 * and passed on together, or neither. An event it cannot express throws {@link AgencyRejectedException}, like any
 * connector.
 */
public interface QueueConnector {

    /** The queue the agency reads, e.g. {@code agency.pensions.events}. */
    String queue();

    /** The message for one event, already reduced to the fields the agency may receive. */
    QueueMessage message(CitizenEvent event);

    /**
     * A message for the agency's queue.
     *
     * @param body       a {@link String} for a text message, a {@code byte[]} for a bytes message
     * @param properties the message's properties
     */
    record QueueMessage(Object body, Map<String, String> properties) {

        public QueueMessage {
            if (!(body instanceof String) && !(body instanceof byte[])) {
                throw new IllegalArgumentException("a queue message's body is text or bytes");
            }
            properties = Map.copyOf(properties);
        }
    }
}
