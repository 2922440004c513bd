package id.jembatan.connector;

import id.jembatan.schema.model.CitizenEvent;

/**
 * Delivers canonical events to one agency in its own protocol and format. The delivery route calls it inside the
 * broker transaction of the agency's queue: it returns normally once the agency has the event, and throws
 * {@link AgencyUnavailableException} (the route retries without limit, the backlog grows, nothing is lost) or
 * {@link AgencyRejectedException} (the agency refused this event; after the configured attempts it goes to the
 * agency's dead-letter queue). The same event may be delivered more than once (at-least-once): a connector makes a
 * repeat harmless where the protocol allows (event id as idempotency key, conditional update).
 */
public interface AgencyConnector {

    /**
     * @param event the event, already reduced to the fields the agency may receive (absent fields are null)
     */
    void deliver(CitizenEvent event);
}
