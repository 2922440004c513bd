package id.jembatan.delivery;

import id.jembatan.policy.FieldFilter;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.model.EventType;
import id.jembatan.settings.JembatanProperties;

import java.util.Set;
import java.util.stream.Collectors;

/** One agency's subscription: which event types it gets, which fields, over which connector, from which queue. */
public record Subscription(String agencyId, Set<EventType> eventTypes, FieldFilter filter, String connector,
                           String queue, String deadLetterQueue, JembatanProperties.Agency settings) {

    /** The broker filter of the agency's queue: only the subscribed event types are routed to it. */
    public String brokerFilter() {
        return eventTypes.stream()
                .map(t -> "'" + t.wireName() + "'")
                .sorted()
                .collect(Collectors.joining(", ", BusHeaders.EVENT_TYPE + " IN (", ")"));
    }

    /** The queue's name on the {@code citizen.events} address (its fully qualified name is {@link #queue}). */
    public String queueName() {
        return agencyId;
    }
}
