package id.jembatan.delivery;

import id.jembatan.schema.model.CitizenEvent;
import org.springframework.stereotype.Service;

/**
 * What every delivery does before the agency's connector: read the published canonical event and keep only the
 * fields that agency may receive.
 */
@Service
public class DeliveryService {

    private final Subscriptions subscriptions;

    public DeliveryService(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** The event as {@code agencyId} may see it. */
    public CitizenEvent prepare(String canonicalJson, String agencyId) {
        return subscriptions.require(agencyId).filter().apply(canonicalJson);
    }
}
