package id.jembatan.complaint;

import java.util.Map;

/**
 * The broker queue complaints wait in for delivery ({@code jembatan.complaints.queue}). Implemented where the routes
 * live (a Camel {@code jms:} endpoint), so that the complaint service needs no broker API.
 */
public interface ComplaintQueue {

    /**
     * Puts one delivery on the queue, persistent; returns once the broker has stored it, or throws.
     *
     * @param body       the complaint as the agency reads it
     * @param properties the message's properties, among them the duplicate-detection id
     * @throws RuntimeException the broker did not take it
     */
    void put(String body, Map<String, String> properties);
}
