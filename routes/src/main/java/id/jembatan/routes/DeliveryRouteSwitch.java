package id.jembatan.routes;

import id.jembatan.connector.licensing.CsvDropConnectorFactory;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.operations.DeliverySwitch;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.stereotype.Component;

/**
 * An agency's delivery paused and resumed by stopping and starting the route that consumes its queue
 * ({@code <agency>-deliver-event}, or {@code -deliver-batch} for a file drop).
 */
@Component
public class DeliveryRouteSwitch implements DeliverySwitch {

    private final Subscriptions subscriptions;
    private final CamelContext camel;

    public DeliveryRouteSwitch(Subscriptions subscriptions, CamelContext camel) {
        this.subscriptions = subscriptions;
        this.camel = camel;
    }

    @Override
    public boolean paused(String agency) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId(agency));
        return status != null && (status.isSuspended() || status.isStopped());
    }

    /**
     * The route is stopped, not suspended: a suspended JMS consumer keeps what the broker already sent it,
     * unacknowledged, so the queue never drains.
     */
    @Override
    public void pause(String agency) throws Exception {
        camel.getRouteController().stopRoute(routeId(agency));
    }

    @Override
    public void resume(String agency) throws Exception {
        camel.getRouteController().startRoute(routeId(agency));
    }

    /** The route that consumes the agency's queue ({@code <agency>-deliver-event} or {@code -deliver-batch}). */
    private String routeId(String agency) {
        Subscription s = subscriptions.require(agency);
        boolean fileDrop = s.connector().equals(CsvDropConnectorFactory.TYPE);
        return s.agencyId() + (fileDrop ? "-deliver-batch" : "-deliver-event");
    }
}
