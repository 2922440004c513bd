package id.jembatan.routes;

import id.jembatan.delivery.Subscriptions;
import id.jembatan.operations.DeliverySwitch;
import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

/**
 * An agency's delivery paused and resumed by stopping and starting the route that consumes its queue
 * ({@code <agency>-deliver-batch}).
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
        return OperatorRoutes.paused(camel, routeId(agency));
    }

    @Override
    public void pause(String agency) throws Exception {
        OperatorRoutes.pause(camel, routeId(agency));
    }

    @Override
    public void resume(String agency) throws Exception {
        OperatorRoutes.resume(camel, routeId(agency));
    }

    /** The route that consumes the agency's queue ({@code <agency>-deliver-batch}). */
    private String routeId(String agency) {
        return AgencyDeliveryRoute.routeId(subscriptions.require(agency).agencyId());
    }
}
