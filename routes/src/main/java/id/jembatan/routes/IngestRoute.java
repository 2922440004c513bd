package id.jembatan.routes;

import id.jembatan.ingest.Channel;
import id.jembatan.ingest.IngestService;
import org.apache.camel.builder.RouteBuilder;
import id.jembatan.settings.JembatanProperties;
import org.springframework.stereotype.Component;

/**
 * The owner agency's inbound queue ({@code civilregistry.events.in}): each message is ingested exactly like
 * {@code POST /api/v1/events}, inside the broker transaction; a refused message goes to the dead-letter queue with
 * its code and the queue keeps flowing.
 */
@Component
public class IngestRoute extends RouteBuilder {

    public static final String ROUTE_ID = "ingest-consume-event";

    private final IngestService ingest;
    private final String queueAgency;

    public IngestRoute(IngestService ingest, JembatanProperties properties) {
        this.ingest = ingest;
        this.queueAgency = properties.getIngest().getQueueAgency();
    }

    @Override
    public void configure() {
        from("jms:queue:{{jembatan.ingest.queue}}?transacted=true&cacheLevelName=CACHE_CONSUMER"
                + "&concurrentConsumers={{jembatan.ingest.consumers}}")
                .routeId(ROUTE_ID)
                .routeConfigurationId(RejectionHandling.REJECT_TO_DEAD_LETTER)
                .setProperty("deadLetterQueue", simple("{{jembatan.ingest.dead-letter-queue}}"))
                .convertBodyTo(byte[].class)
                .process(exchange -> ingest.ingest(queueAgency, Channel.JMS,
                        exchange.getMessage().getBody(byte[].class)));
    }
}
