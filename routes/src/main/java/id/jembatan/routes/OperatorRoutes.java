package id.jembatan.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * What pausing a flow means for an operator, for the agencies' deliveries and the inbound queue alike: its route is
 * stopped, not suspended (a suspended JMS consumer keeps what the broker already sent it, unacknowledged, so the
 * queue never drains), and started again to resume.
 */
final class OperatorRoutes {

    private OperatorRoutes() {
    }

    /** Whether the route is stopped or suspended. */
    static boolean paused(CamelContext camel, String routeId) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        return status != null && (status.isSuspended() || status.isStopped());
    }

    /** Stops the route; it finishes what it has in hand first. */
    static void pause(CamelContext camel, String routeId) throws Exception {
        camel.getRouteController().stopRoute(routeId);
    }

    static void resume(CamelContext camel, String routeId) throws Exception {
        camel.getRouteController().startRoute(routeId);
    }
}
