package id.jembatan.routes;

import id.jembatan.connector.licensing.CsvDropSettings;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Delivery to file-drop agencies ({@code csv-drop}): every batch interval, the agency's queue is drained into drop
 * files. A failed write leaves the events queued and is retried at the next interval.
 */
@Component
public class CsvDropRoute extends RouteBuilder {

    private final Subscriptions subscriptions;
    private final CsvDropDelivery delivery;

    public CsvDropRoute(Subscriptions subscriptions, CsvDropDelivery delivery) {
        this.subscriptions = subscriptions;
        this.delivery = delivery;
    }

    @Override
    public void configure() {
        for (Subscription s : subscriptions.all()) {
            if (!s.connector().equals("csv-drop")) {
                continue;
            }
            from("timer:" + s.agencyId() + "-batch?delay=0&period="
                    + s.connectorSettings(CsvDropSettings.class).delivery().batchInterval().toMillis())
                    .routeId(s.agencyId() + "-deliver-batch")
                    .onException(Exception.class)
                        .handled(true)
                        .log(LoggingLevel.WARN, "Drop for " + s.agencyId()
                                + " failed, the events stay queued: ${exception.message}")
                    .end()
                    .process(exchange -> delivery.drain(s));
        }
    }
}
