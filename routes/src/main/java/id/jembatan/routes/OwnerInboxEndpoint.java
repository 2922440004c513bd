package id.jembatan.routes;

import id.jembatan.notification.NotificationSettings;
import id.jembatan.notification.OwnerInbox;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The owner's inbox as a Camel {@code jms:} endpoint ({@code jms:queue:<jembatan.notifications.queue>}): each
 * notification is one persistent send outside any broker transaction, so it returns once the broker has stored it.
 * Called inside the database transaction that audits the notification, it takes no part in it: the audit entry
 * commits after the send, and a notification sent again after a failed commit is dropped by the broker's duplicate
 * detection.
 */
@Component
public class OwnerInboxEndpoint extends QueueEndpoint implements OwnerInbox {

    public OwnerInboxEndpoint(ProducerTemplate producer, NotificationSettings settings) {
        super(producer, settings.queue());
    }
}
