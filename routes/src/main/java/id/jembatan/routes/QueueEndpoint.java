package id.jembatan.routes;

import org.apache.camel.ProducerTemplate;

import java.util.HashMap;
import java.util.Map;

/**
 * A broker queue the core puts messages on, as a Camel {@code jms:} endpoint: each message is one persistent send
 * outside any broker transaction, so {@link #put} returns once the broker has stored it.
 */
abstract class QueueEndpoint {

    private final ProducerTemplate producer;
    private final String uri;

    QueueEndpoint(ProducerTemplate producer, String queue) {
        this.producer = producer;
        this.uri = "jms:queue:" + queue;
    }

    public void put(String body, Map<String, String> properties) {
        producer.sendBodyAndHeaders(uri, body, new HashMap<>(properties));
    }
}
