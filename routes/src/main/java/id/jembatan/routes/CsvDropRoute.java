package id.jembatan.routes;

import id.jembatan.connector.licensing.CsvDropConnectorFactory;
import id.jembatan.connector.licensing.CsvDropSettings;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.routes.broker.JmsBatch;
import id.jembatan.routes.broker.JmsBatchComponent;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Delivery to file-drop agencies ({@code csv-drop}), route {@code <agency>-deliver-batch}: the agency's queue taken
 * in batches ({@code jms-batch:}) of up to {@code delivery.batch-size} events, each gathered for up to
 * {@code delivery.batch-interval} after its first event and written as one drop file ({@link CsvDropDelivery}). One
 * consumer, so the files follow the queue's order. A batch whose file or audit entries cannot be written is rolled
 * back and taken again a batch interval later: the events stay queued, in order (the agency queues are redelivered
 * at once, {@code broker.xml}, so this wait is the back-off).
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
            if (!s.connector().equals(CsvDropConnectorFactory.TYPE)) {
                continue;
            }
            CsvDropSettings.Delivery d = s.connectorSettings(CsvDropSettings.class).delivery();
            long interval = d.batchInterval().toMillis();
            from(JmsBatchComponent.SCHEME + ":" + s.queue()
                    + "?deadLetterQueue=" + s.deadLetterQueue()
                    + "&batchSize=" + d.batchSize()
                    + "&linger=" + interval
                    + "&retryDelay=" + interval)
                    .routeId(s.agencyId() + "-deliver-batch")
                    // The consumer rolls a failed batch back and logs it by the failure's types.
                    .errorHandler(noErrorHandler())
                    .process(exchange -> delivery.write(s, exchange.getMessage().getMandatoryBody(JmsBatch.class)));
        }
    }
}
