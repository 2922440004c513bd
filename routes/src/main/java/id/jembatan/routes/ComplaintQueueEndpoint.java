package id.jembatan.routes;

import id.jembatan.complaint.ComplaintQueue;
import id.jembatan.complaint.ComplaintSettings;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The complaints' delivery queue as a Camel {@code jms:} endpoint ({@code jms:queue:<jembatan.complaints.queue>}):
 * each delivery is one persistent send outside any broker transaction, so it returns once the broker has stored it.
 */
@Component
public class ComplaintQueueEndpoint extends QueueEndpoint implements ComplaintQueue {

    public ComplaintQueueEndpoint(ProducerTemplate producer, ComplaintSettings settings) {
        super(producer, settings.queue());
    }
}
