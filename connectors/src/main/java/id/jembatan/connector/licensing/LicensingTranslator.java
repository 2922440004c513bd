package id.jembatan.connector.licensing;

import id.jembatan.connector.licensing.LicenceUpdate.Action;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenSnapshot;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.NameChanged;

import java.util.Optional;

/**
 * Canonical events to licensing rows: a death revokes the person's licences, a move or new name updates them,
 * a birth registers the identity. Marriages and divorces do not concern licences. Pure and thread-safe.
 */
public final class LicensingTranslator {

    /** The row for an event, or empty when the event does not concern the licensing office. */
    public Optional<LicenceUpdate> translate(CitizenEvent event) {
        String type = event.eventType().wireName();
        if (event instanceof DeathRegistered death) {
            return Optional.of(new LicenceUpdate(event.eventId(), type, event.occurredAt(), Action.REVOKE,
                    death.nik(), null, null, null, death.dateOfDeath()));
        }
        if (event instanceof AddressChanged moved) {
            return Optional.of(new LicenceUpdate(event.eventId(), type, event.occurredAt(), Action.UPDATE_ADDRESS,
                    moved.nik(), null, null, moved.address(), null));
        }
        if (event instanceof NameChanged renamed) {
            return Optional.of(new LicenceUpdate(event.eventId(), type, event.occurredAt(), Action.UPDATE_NAME,
                    renamed.nik(), renamed.fullName(), null, null, null));
        }
        if (event instanceof CitizenSnapshot snapshot) {
            var c = snapshot.citizen();
            if (snapshot.dateOfDeath() != null) {
                return Optional.of(new LicenceUpdate(event.eventId(), type, event.occurredAt(), Action.REVOKE,
                        c.nik(), null, null, null, snapshot.dateOfDeath()));
            }
            return Optional.of(new LicenceUpdate(event.eventId(), type, event.occurredAt(), Action.UPDATE,
                    c.nik(), c.fullName(), c.birthDate(), c.address(), null));
        }
        if (event instanceof BirthRegistered birth) {
            var c = birth.citizen();
            return Optional.of(new LicenceUpdate(event.eventId(), type, event.occurredAt(), Action.REGISTER,
                    c.nik(), c.fullName(), c.birthDate(), c.address(), null));
        }
        return Optional.empty();
    }
}
