package id.jembatan.delivery;

import id.jembatan.agency.AgencySettings;
import id.jembatan.policy.FieldFilter;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.model.EventType;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One agency's subscription: which event types it gets, which fields, over which connector type with which of that
 * type's settings, from which queue, with which retries.
 *
 * @param connectorSettings the agency's settings of its connector type ({@code ConnectorFactory.settingsType()})
 */
public record Subscription(String agencyId, Set<EventType> eventTypes, FieldFilter filter, String connector,
                           String queue, String deadLetterQueue, AgencySettings.Delivery delivery,
                           Object connectorSettings) {

    /**
     * The broker filter of the agency's queue: only the subscribed event types are routed to it from
     * {@code citizen.events}, and the sync jobs' {@code CitizenSnapshot} messages, which are sent to this queue
     * alone (never to the address), so that they queue in order with the citizen's live events.
     */
    public String brokerFilter() {
        return Stream.concat(eventTypes.stream(), Stream.of(EventType.CITIZEN_SNAPSHOT))
                .map(t -> "'" + t.wireName() + "'")
                .sorted()
                .collect(Collectors.joining(", ", BusHeaders.EVENT_TYPE + " IN (", ")"));
    }

    /** The queue's name on the {@code citizen.events} address (its fully qualified name is {@link #queue}). */
    public String queueName() {
        return agencyId;
    }

    /** The agency's settings of its connector type, as that type's record (e.g. {@code CsvDropSettings}). */
    public <S> S connectorSettings(Class<S> type) {
        return type.cast(connectorSettings);
    }
}
