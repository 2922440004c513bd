package id.jembatan.routes;

import id.jembatan.complaint.ComplaintQueue;
import id.jembatan.complaint.ComplaintService;
import id.jembatan.complaint.ComplaintSettings;
import id.jembatan.outbox.OutboxSettings;
import id.jembatan.routes.broker.JmsBatch;
import id.jembatan.routes.broker.JmsBatchComponent;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The complaints' three flows, as operators see them in JMX and Hawtio:
 * <ul>
 *   <li>{@code complaints-relay-outbox}: every {@code jembatan.complaints.outbox-poll-interval}, the deliveries filed
 *   in the database are put on the complaints' queue ({@link ComplaintService#publishPending});</li>
 *   <li>{@code complaints-deliver-complaint}: the queue, taken in broker transactions on the shared {@code jms-batch}
 *   consumer with its dead-letter path ({@code jembatan.complaints.dead-letter-queue}), delivered by
 *   {@link ComplaintDelivery};</li>
 *   <li>{@code complaints-escalate-overdue}: every {@code jembatan.complaints.escalation-check}, complaints past their
 *   service level go to the supervising agency ({@link ComplaintService#escalateOverdue}).</li>
 * </ul>
 */
@Component
public class ComplaintRoutes extends RouteBuilder {

    private final ComplaintService complaints;
    private final ComplaintDelivery delivery;
    private final ComplaintQueue queue;
    private final ComplaintSettings settings;
    private final int relayBatch;

    public ComplaintRoutes(ComplaintService complaints, ComplaintDelivery delivery, ComplaintQueue queue,
                           ComplaintSettings settings, OutboxSettings outbox) {
        this.complaints = complaints;
        this.delivery = delivery;
        this.queue = queue;
        this.settings = settings;
        this.relayBatch = outbox.batchSize();
    }

    @Override
    public void configure() {
        if (!settings.enabled()) {
            return;
        }
        from("timer:complaints-relay-outbox?period=" + settings.outboxPollInterval().toMillis())
                .routeId("complaints-relay-outbox")
                .process(exchange -> {
                    while (complaints.publishPending(queue, relayBatch) == relayBatch) {
                        // a full batch: more may be waiting
                    }
                });

        ComplaintSettings.Retries retries = settings.delivery();
        from(JmsBatchComponent.SCHEME + ":" + settings.queue()
                + "?deadLetterQueue=" + settings.deadLetterQueue()
                + "&consumers=1&batchSize=10&linger=0"
                + "&retryDelay=" + retries.redeliveryDelay().toMillis()
                + "&maximumRetryDelay=" + retries.maximumRedeliveryDelay().toMillis())
                .routeId("complaints-deliver-complaint")
                // The consumer rolls a failed batch back and logs it by the failure's types: Camel's error handler
                // would log its message, which may quote the complaint.
                .errorHandler(noErrorHandler())
                .process(exchange -> delivery.deliver(exchange.getMessage().getMandatoryBody(JmsBatch.class)));

        from("timer:complaints-escalate-overdue?period=" + settings.escalationCheck().toMillis())
                .routeId("complaints-escalate-overdue")
                .process(exchange -> complaints.escalateOverdue());
    }
}
