package id.jembatan.connector;

import id.jembatan.schema.model.CitizenEvent;

/**
 * Canonical events into one agency's payload: the extension point for an agency with a data format of its own. A
 * translator is a Spring bean; the bus finds it by {@link #name()}, first as the agency id
 * ({@code jembatan.agencies.<id>}), then as the format name an agency chooses with
 * {@code jembatan.agencies.<id>.format}.
 *
 * <p>The contract:
 * <ul>
 *   <li><b>pure</b>: the same event gives the same bytes; no clock, no random ids (a redelivered event must look the
 *       same to the agency, which recognises repeats by the event id);</li>
 *   <li><b>thread-safe</b>: the delivery route calls it from several consumers at once; keep no mutable state;</li>
 *   <li><b>no I/O</b>: no network, files or database; the connector does the sending, the master index is not
 *       consulted (the event carries what the agency may know);</li>
 *   <li>the event it gets is already reduced to the fields the agency's access policy allows (the others are
 *       {@code null}): write only what is there, never fill in a withheld field;</li>
 *   <li>an event it cannot express throws {@link AgencyRejectedException} with
 *       {@link id.jembatan.schema.error.ErrorCode#TRANSLATION_FAILED}: the event goes to the agency's dead-letter
 *       queue with that reason, and nothing is sent.</li>
 * </ul>
 */
public interface Translator {

    /** The agency id or the format name this translator serves, e.g. {@code bansos} or {@code canonical-json}. */
    String name();

    /** The Content-Type of what {@link #toAgency} returns, e.g. {@code application/json}. */
    String mediaType();

    /** The agency's payload for one event. */
    byte[] toAgency(CitizenEvent event);
}
