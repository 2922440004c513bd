package id.jembatan.routes;

import id.jembatan.agency.AgencySettings;
import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyRejectedPermanentlyException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.QueueConnector;
import id.jembatan.delivery.ConnectorRegistry;
import id.jembatan.delivery.DeliveryAudit;
import id.jembatan.delivery.DeliveryService;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.routes.broker.DeadLetters;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.trace.EventLogContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ClaimCheckOperation;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Delivery to agencies, one route per agency from one template: consume the agency's durable queue in a broker
 * transaction, keep only the fields it may receive, hand the event to the agency's connector
 * ({@code direct:<agency>-deliver}; for an agency that reads a queue of the bus's broker, a {@code jms:} step that
 * joins the transaction), then audit what the agency was given ({@link DeliveryAudit}). An agency that
 * is unreachable is retried with back-off for as long as it takes (its backlog grows, nothing is lost, other
 * agencies' routes are not touched); an event it refuses is retried a configured number of times and then goes,
 * unchanged, to {@code dlq.<agency>} with why ({@link DeadLetters}); one it refuses for a reason no retry changes
 * ({@link AgencyRejectedPermanentlyException}) goes there at the first attempt.
 */
@Component
public class AgencyDeliveryRoute extends RouteBuilder {

    public static final String TEMPLATE = "agency-deliver-event";

    private final Subscriptions subscriptions;
    private final ConnectorRegistry connectors;
    private final DeadLetters deadLetters;
    private final DeliveryMetrics metrics;
    private final DeliveryService deliveryService;
    private final DeliveryAudit deliveryAudit;

    public AgencyDeliveryRoute(Subscriptions subscriptions, ConnectorRegistry connectors,
                               DeadLetters deadLetters, DeliveryMetrics metrics,
                               DeliveryService deliveryService, DeliveryAudit deliveryAudit) {
        this.subscriptions = subscriptions;
        this.connectors = connectors;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.deliveryService = deliveryService;
        this.deliveryAudit = deliveryAudit;
    }

    @Override
    public void configure() {
        RouteDefinition route = routeTemplate(TEMPLATE)
                .templateParameter("agency")
                .templateParameter("queue")
                .templateParameter("deadLetterQueue")
                .templateParameter("consumers")
                .templateParameter("maximumRedeliveries")
                .templateParameter("redeliveryDelay")
                .templateParameter("maximumRedeliveryDelay")
                .from("jms:queue:{{queue}}?transacted=true&cacheLevelName=CACHE_CONSUMER"
                        + "&concurrentConsumers={{consumers}}");
        // On shutdown stop retrying: the transaction rolls back and the event stays queued.
        route.errorHandler(defaultErrorHandler().allowRedeliveryWhileStopping(false));
        backOff(route.onException(AgencyUnavailableException.class)
                .maximumRedeliveries(-1))
                .end();
        // Retrying cannot help until someone acts at the agency: straight to the dead letters, so the citizen's
        // later events (behind it in its message group) are not held up by the retries.
        deadLetter(route.onException(AgencyRejectedPermanentlyException.class)
                .maximumRedeliveries(0));
        deadLetter(backOff(route.onException(Exception.class)
                .maximumRedeliveries("{{maximumRedeliveries}}")));
        route.setProperty("agency", constant("{{agency}}"))
                .process(this::logContext)
                // Plain processors rather than bean calls with parameter expressions: Camel evaluated those and
                // looked the method up again for every event (docs/performance.md).
                .process(this::prepare)
                .to("direct:{{agency}}-deliver")
                // The agency has the event once the connector returned. The entry is written in its own database
                // transaction before the broker's commits: if that commit fails the event is delivered again and
                // audited again, which is true, the agency got it twice. If the entry cannot be written, the
                // error handler retries this step alone (at the point of failure: the agency is not sent the
                // event again) and after the configured attempts dead-letters the event like any failure.
                .process(this::audit)
                .process(this::delivered);

        Map<String, AgencyConnector> byAgency = connectors.all();
        Map<String, QueueConnector> byQueue = connectors.queues();
        for (Subscription s : subscriptions.all()) {
            AgencyConnector connector = byAgency.get(s.agencyId());
            QueueConnector queue = byQueue.get(s.agencyId());
            if (connector == null && queue == null) {
                continue;
            }
            AgencySettings.Delivery d = s.delivery();
            templatedRoute(TEMPLATE)
                    .routeId(s.agencyId() + "-deliver-event")
                    .parameter("agency", s.agencyId())
                    .parameter("queue", s.queue())
                    .parameter("deadLetterQueue", s.deadLetterQueue())
                    .parameter("consumers", String.valueOf(d.consumers()))
                    .parameter("maximumRedeliveries", String.valueOf(d.maximumRedeliveries()))
                    .parameter("redeliveryDelay", String.valueOf(d.redeliveryDelay().toMillis()))
                    .parameter("maximumRedeliveryDelay", String.valueOf(d.maximumRedeliveryDelay().toMillis()));
            RouteDefinition send = from("direct:" + s.agencyId() + "-deliver")
                    .routeId(s.agencyId() + "-send-event")
                    // Failures go back to the calling delivery route, whose retry and dead-letter rules apply.
                    .errorHandler(noErrorHandler());
            if (connector != null) {
                send.process(exchange -> connector.deliver(exchange.getMessage().getMandatoryBody(CitizenEvent.class)));
            } else {
                // The agency's message replaces the event only for this step (the delivery route audits the event
                // afterwards), with none of the headers the event came with (the broker's own among them). The send
                // joins the delivery route's broker transaction: the event is taken and passed on together, or
                // neither.
                send.claimCheck(ClaimCheckOperation.Push)
                        .removeHeaders("*")
                        .process(exchange -> {
                            QueueConnector.QueueMessage message = queue.message(
                                    exchange.getMessage().getMandatoryBody(CitizenEvent.class));
                            exchange.getMessage().setBody(message.body());
                            exchange.getMessage().getHeaders().putAll(message.properties());
                        })
                        .to("jms:queue:" + queue.queue())
                        .claimCheck(ClaimCheckOperation.Pop);
            }
        }
    }

    /** Retries from the agency's redelivery delay, doubling up to its maximum, each failed attempt counted. */
    private OnExceptionDefinition backOff(OnExceptionDefinition failure) {
        return failure.redeliveryDelay("{{redeliveryDelay}}")
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay("{{maximumRedeliveryDelay}}")
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .onRedelivery(this::recordFailure);
    }

    /** The end of an attempt that failed for good: the event goes, unchanged, to the agency's dead letters. */
    private void deadLetter(OnExceptionDefinition failure) {
        failure.handled(true)
                .useOriginalMessage()
                .process(this::recordFailure)
                .process(exchange -> metrics.deadLettered(exchange.getProperty("agency", String.class)))
                .process(deadLetters)
                .to("jms:queue:{{deadLetterQueue}}")
                .end();
    }

    /**
     * The event id and the agency in the logging context of the consumer's thread, for every line logged about this
     * delivery (retries and dead-lettering included) until the exchange is done.
     */
    private void logContext(Exchange exchange) {
        EventLogContext context = EventLogContext.open(
                exchange.getMessage().getHeader(BusHeaders.EVENT_ID, String.class), agency(exchange));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                context.close();
            }
        });
    }

    /** The published event (canonical JSON) as the agency may see it. */
    private void prepare(Exchange exchange) throws InvalidPayloadException {
        Message message = exchange.getMessage();
        message.setBody(deliveryService.prepare(message.getMandatoryBody(String.class), agency(exchange)));
    }

    private void audit(Exchange exchange) throws InvalidPayloadException {
        deliveryAudit.recordDelivery(exchange.getMessage().getMandatoryBody(CitizenEvent.class), agency(exchange));
    }

    private void delivered(Exchange exchange) {
        Long publishedAt = exchange.getMessage().getHeader("JMSTimestamp", Long.class);
        metrics.delivered(agency(exchange), publishedAt == null ? 0 : publishedAt);
    }

    private static String agency(Exchange exchange) {
        return exchange.getProperty("agency", String.class);
    }

    /** Counts a failed attempt and keeps it as the agency's last error (operators see both). */
    private void recordFailure(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            metrics.failed(exchange.getProperty("agency", String.class), failure);
        }
    }
}
