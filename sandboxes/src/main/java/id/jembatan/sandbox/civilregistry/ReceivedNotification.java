package id.jembatan.sandbox.civilregistry;

import id.jembatan.schema.model.OwnerNotification;

import java.time.Instant;
import java.util.Map;

/**
 * One notification as the civil registry's inbox received it: the notification, the agency that reported it, the
 * message properties the bus set ({@code JMSXGroupID} and the {@code Jembatan*} ones), whether the message was
 * persistent, and when it arrived.
 */
public record ReceivedNotification(OwnerNotification notification, String reportedBy, Map<String, String> headers,
                                   boolean persistent, Instant receivedAt) {

    public ReceivedNotification {
        headers = Map.copyOf(headers);
    }
}
