package id.jembatan.routes;

import id.jembatan.notification.NotificationSettings;
import id.jembatan.notification.OwnerInbox;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * The owner's inbox as a Camel {@code jms:} endpoint ({@code jms:queue:<jembatan.notifications.queue>}): each
 * notification is one persistent send outside any broker transaction, so it returns once the broker has stored it.
 * Called inside the database transaction that audits the notification, it takes no part in it: the audit entry
 * commits after the send, and a notification sent again after a failed commit is dropped by the broker's duplicate
 * detection.
 */
@Component
public class OwnerInboxEndpoint implements OwnerInbox {

    private final ProducerTemplate producer;
    private final String uri;

    public OwnerInboxEndpoint(ProducerTemplate producer, NotificationSettings settings) {
        this.producer = producer;
        this.uri = "jms:queue:" + settings.queue();
    }

    @Override
    public void put(String body, Map<String, String> properties) {
        producer.sendBodyAndHeaders(uri, body, new HashMap<>(properties));
    }
}
