package id.jembatan.operations;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySuspensions;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.bus.BrokerManagement;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Suspends an agency in one operation, and reinstates it: the suspension is stored (it survives a restart and
 * reaches every bus instance, {@link AgencySuspensions}) together with its audit entry naming the operator and the
 * reason; from then on every door refuses the agency (HTTP and FHIR answer {@code AGENCY_SUSPENDED}, the broker
 * refuses its sign-in), its open broker connections are closed through the broker's management, and delivery to it
 * is held (its queue keeps growing; nothing is lost) on every bus instance as it learns of the suspension.
 * Reinstating undoes all of it, except a delivery an operator had paused before the suspension, which stays paused.
 */
@Service
public class AgencySuspension {

    private static final Logger log = LoggerFactory.getLogger(AgencySuspension.class);

    private final AgenciesSettings agencies;
    private final AgencySuspensions suspensions;
    private final AgencyOperations operations;
    private final BrokerManagement broker;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public AgencySuspension(AgenciesSettings agencies, AgencySuspensions suspensions, AgencyOperations operations,
                            BrokerManagement broker, AuditTrail audit, TransactionTemplate transaction, Clock clock) {
        this.agencies = agencies;
        this.suspensions = suspensions;
        this.operations = operations;
        this.broker = broker;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
        // Delivery is held and released as each instance learns of a change, made here or on another instance.
        suspensions.addListener(new AgencySuspensions.Listener() {
            @Override
            public void suspended(AgencySuspensions.Suspension suspension) {
                hold(suspension.agency());
            }

            @Override
            public void reinstated(AgencySuspensions.Suspension was) {
                if (!was.deliveryWasPaused()) {
                    release(was.agency());
                }
            }
        });
    }

    /** Every configured agency, whether events are delivered to it or not. */
    public List<String> agencies() {
        return List.copyOf(agencies.agencies().keySet());
    }

    public boolean suspended(String agency) {
        return suspensions.suspended(agency);
    }

    /** The agency's suspension, if it is suspended. */
    public Optional<AgencySuspensions.Suspension> suspension(String agency) {
        return suspensions.suspension(agency);
    }

    /** The suspended agencies, in the configuration's order. */
    public List<AgencySuspensions.Suspension> suspensions() {
        return agencies().stream().map(suspensions::suspension).flatMap(Optional::stream).toList();
    }

    /**
     * Suspends the agency; false if it was suspended already (nothing changes, nothing is recorded).
     *
     * @throws JembatanException {@code RESOURCE_NOT_FOUND} for an agency that is not configured,
     *                           {@code SCHEMA_VIOLATION} without a reason
     */
    public boolean suspend(String agency, OperatorAction action) throws Exception {
        known(agency);
        if (action.reason().isEmpty()) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.SCHEMA_VIOLATION, "/reason",
                    "a suspension needs a reason")));
        }
        boolean delivered = operations.agencies().contains(agency);
        boolean wasPaused = delivered && operations.paused(agency);
        Boolean done = transaction.execute(status -> {
            if (!suspensions.record(new AgencySuspensions.Suspension(agency, clock.instant(), action.operator(),
                    action.reason(), wasPaused))) {
                return false;
            }
            audit.append(AuditRecord.operatorAction(agency, AuditAction.AGENCY_SUSPENDED, action.channel(), "DONE",
                    action.operator(), action.reason()));
            return true;
        });
        suspensions.refresh();
        if (!Boolean.TRUE.equals(done)) {
            return false;
        }
        log.warn("Agency {} suspended by {}: {}", agency, action.operator(), action.reason());
        // Connections opened before: their sign-in and their cached permissions would otherwise outlive the
        // suspension. Delivery was held by the refresh above (the listener).
        broker.closeConnectionsOf(agency);
        return true;
    }

    /** Reinstates a suspended agency; false if it was not suspended (nothing changes, nothing is recorded). */
    public boolean reinstate(String agency, OperatorAction action) throws Exception {
        known(agency);
        AgencySuspensions.Suspension was = transaction.execute(status -> suspensions.remove(agency).map(s -> {
            audit.append(AuditRecord.operatorAction(agency, AuditAction.AGENCY_REINSTATED, action.channel(), "DONE",
                    action.operator(), action.reason()));
            return s;
        }).orElse(null));
        suspensions.refresh();
        if (was == null) {
            return false;
        }
        log.warn("Agency {} reinstated by {}: {}", agency, action.operator(), action.reason());
        return true;
    }

    private void hold(String agency) {
        if (operations.agencies().contains(agency)) {
            try {
                operations.holdDelivery(agency);
            } catch (Exception e) {
                throw new IllegalStateException("holding delivery to " + agency + " failed", e);
            }
        }
    }

    private void release(String agency) {
        if (operations.agencies().contains(agency)) {
            try {
                operations.releaseDelivery(agency);
            } catch (Exception e) {
                throw new IllegalStateException("releasing delivery to " + agency + " failed", e);
            }
        }
    }

    private void known(String agency) {
        if (!agencies.agencies().containsKey(agency)) {
            throw new JembatanException(ErrorCode.RESOURCE_NOT_FOUND, "no agency '" + agency + "'");
        }
    }
}
