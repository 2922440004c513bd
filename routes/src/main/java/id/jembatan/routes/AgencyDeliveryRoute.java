package id.jembatan.routes;

import id.jembatan.agency.AgencySettings;
import id.jembatan.agency.AgencySuspensions;
import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.QueueConnector;
import id.jembatan.delivery.ConnectorRegistry;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.routes.broker.JmsBatch;
import id.jembatan.routes.broker.JmsBatchComponent;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Delivery to agencies, route {@code <agency>-deliver-batch} per agency: its durable queue on {@code citizen.events}
 * taken in batches ({@code jms-batch:}), each in one broker transaction, of up to {@code delivery.batch-size} events
 * (what is waiting, or what arrives within {@code delivery.linger} of the first), delivered and audited together by
 * {@link AgencyBatchDelivery}: one request where the agency's protocol has a batch form (a FHIR batch Bundle, a drop
 * file), one by one otherwise; for an agency that reads a queue of the bus's broker, the messages for its queue are
 * sent in the same transaction. A batch the agency could not take at all (down, or the audit not writable) is rolled
 * back and taken again after {@code delivery.redelivery-delay}, doubling up to {@code delivery.maximum-redelivery-delay},
 * for as long as it takes (its backlog grows, nothing is lost, other agencies' routes are not touched); the broker's
 * message groups keep each citizen on one consumer, in order.
 */
@Component
public class AgencyDeliveryRoute extends RouteBuilder {

    private final Subscriptions subscriptions;
    private final ConnectorRegistry connectors;
    private final AgencyBatchDelivery delivery;
    private final ObjectProvider<AgencySuspensions> suspensions;

    /**
     * @param suspensions the suspended agencies, whose delivery does not start; none without a store (the routes'
     *                    own tests)
     */
    public AgencyDeliveryRoute(Subscriptions subscriptions, ConnectorRegistry connectors,
                               AgencyBatchDelivery delivery, ObjectProvider<AgencySuspensions> suspensions) {
        this.subscriptions = subscriptions;
        this.connectors = connectors;
        this.delivery = delivery;
        this.suspensions = suspensions;
    }

    /** The route that consumes the agency's queue, as operators see it in JMX and Hawtio. */
    public static String routeId(String agency) {
        return agency + "-deliver-batch";
    }

    @Override
    public void configure() {
        AgencySuspensions suspended = suspensions.getIfAvailable();
        Map<String, AgencyConnector> byAgency = connectors.all();
        Map<String, QueueConnector> byQueue = connectors.queues();
        for (Subscription s : subscriptions.all()) {
            AgencyConnector connector = byAgency.get(s.agencyId());
            QueueConnector queue = byQueue.get(s.agencyId());
            AgencyBatchDelivery.Target target;
            AgencySettings.Delivery d = s.delivery();
            AgencyConnector.Batching batching = new AgencyConnector.Batching(d.batchSize(), d.linger(),
                    d.consumers());
            if (connector != null) {
                target = (events, batch) -> connector.deliverAll(events);
                batching = connector.batching().orElse(batching);
            } else if (queue != null) {
                target = (events, batch) -> AgencyBatchDelivery.forward(queue, events, batch);
            } else {
                continue;
            }
            AgencyBatchDelivery.Target to = target;
            from(JmsBatchComponent.SCHEME + ":" + s.queue()
                    + "?deadLetterQueue=" + s.deadLetterQueue()
                    + "&consumers=" + batching.consumers()
                    + "&batchSize=" + batching.size()
                    + "&linger=" + batching.linger().toMillis()
                    + "&retryDelay=" + d.redeliveryDelay().toMillis()
                    + "&maximumRetryDelay=" + d.maximumRedeliveryDelay().toMillis())
                    .routeId(routeId(s.agencyId()))
                    // A suspended agency's delivery stays held across a restart, until it is reinstated.
                    .autoStartup(suspended == null || !suspended.suspended(s.agencyId()))
                    // The consumer rolls a failed batch back and logs it by the failure's types: Camel's error
                    // handler would log its message, which may quote the events' personal data.
                    .errorHandler(noErrorHandler())
                    .process(exchange -> delivery.deliver(s, to,
                            exchange.getMessage().getMandatoryBody(JmsBatch.class)));
        }
    }
}
