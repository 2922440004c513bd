package id.jembatan.routes;

import id.jembatan.complaint.ComplaintQueue;
import id.jembatan.complaint.ComplaintSettings;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * The complaints' delivery queue as a Camel {@code jms:} endpoint ({@code jms:queue:<jembatan.complaints.queue>}):
 * each delivery is one persistent send outside any broker transaction, so it returns once the broker has stored it.
 */
@Component
public class ComplaintQueueEndpoint implements ComplaintQueue {

    private final ProducerTemplate producer;
    private final String uri;

    public ComplaintQueueEndpoint(ProducerTemplate producer, ComplaintSettings settings) {
        this.producer = producer;
        this.uri = "jms:queue:" + settings.queue();
    }

    @Override
    public void put(String body, Map<String, String> properties) {
        producer.sendBodyAndHeaders(uri, body, new HashMap<>(properties));
    }
}
