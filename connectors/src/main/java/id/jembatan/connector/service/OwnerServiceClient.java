package id.jembatan.connector.service;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;

/**
 * One owner service as the bus asks it: the caller's canonical JSON request in, translated to the owner's protocol and
 * sent once (never again by itself: a question may cost the owner or be counted there), the owner's answer back as
 * canonical JSON. Thread-safe.
 */
public interface OwnerServiceClient {

    /**
     * Asks the owner.
     *
     * @param request a request body its service's schema accepted
     * @return the owner's answer in canonical JSON, for the bus to check against the service's response schema
     * @throws OwnerAnswerInvalidException the owner answered, but not with a valid document of its protocol
     * @throws AgencyUnavailableException  the owner could not be reached, did not answer in time (its cause is then
     *                                     a {@link java.net.http.HttpTimeoutException}) or answered 5xx, 408 or 429
     * @throws AgencyRejectedException     the owner refused the question (another 4xx)
     */
    JsonNode ask(JsonNode request);
}
