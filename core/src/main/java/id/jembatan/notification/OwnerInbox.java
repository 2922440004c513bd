package id.jembatan.notification;

import java.util.Map;

/**
 * The owner agency's inbox on the broker ({@code jembatan.notifications.queue}), where routed notifications go.
 * Implemented where the routes live (a Camel {@code jms:} endpoint), so that notifications need no broker API.
 */
public interface OwnerInbox {

    /**
     * Puts one notification in the inbox, persistent; returns once the broker has stored it (a send outside a broker
     * transaction waits for that), or throws.
     *
     * @param body       the notification as the owner reads it
     * @param properties the message's properties
     * @throws RuntimeException the broker did not take it
     */
    void put(String body, Map<String, String> properties);
}
