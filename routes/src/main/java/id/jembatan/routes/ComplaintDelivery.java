package id.jembatan.routes;

import id.jembatan.complaint.ComplaintService;
import id.jembatan.complaint.ComplaintSettings;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyRejectedPermanentlyException;
import id.jembatan.connector.Translators;
import id.jembatan.connector.webhook.JsonHttpConnector;
import id.jembatan.connector.webhook.JsonHttpConnectorFactory;
import id.jembatan.connector.webhook.WebhookSignature;
import id.jembatan.routes.broker.JmsBatch;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers the complaints of one batch taken from the complaints' queue ({@link ComplaintRoutes}) to the agency each
 * is for, as a signed webhook ({@link JsonHttpConnector#deliverDocument}, {@code jembatan.complaints.receivers}), and
 * audits each delivery. A receiver that cannot be reached fails the whole batch: the consumer rolls it back and takes
 * it again after a back-off, without limit (nothing accepted is lost). A complaint a receiver refuses is tried again
 * {@code jembatan.complaints.delivery.maximum-redeliveries} times with a doubling delay, then goes to the complaints'
 * dead-letter queue with why, as events do.
 */
@Component
public class ComplaintDelivery {

    private static final Logger log = LoggerFactory.getLogger(ComplaintDelivery.class);

    private final ComplaintService complaints;
    private final ComplaintSettings.Retries retries;
    private final Map<String, JsonHttpConnector> receivers = new LinkedHashMap<>();

    public ComplaintDelivery(ComplaintService complaints, ComplaintSettings settings, Translators translators,
                             HttpClient http, Clock clock) {
        this.complaints = complaints;
        this.retries = settings.delivery();
        settings.receivers().forEach((agency, receiver) -> receivers.put(agency, new JsonHttpConnector(agency,
                URI.create(receiver.url()), receiver.delivery().timeout(), http,
                translators.forAgency(agency, Translators.DEFAULT_FORMAT).orElseThrow(),
                new WebhookSignature(receiver.signingSecret()), clock)));
    }

    /**
     * Delivers and audits the batch; refused complaints are set aside for the dead-letter queue on {@code batch}.
     *
     * @throws RuntimeException a receiver could not take a complaint: nothing of the batch is acknowledged
     */
    public void deliver(JmsBatch batch) throws JMSException {
        for (Message message : batch.messages()) {
            String agency = message.getStringProperty(BusHeaders.COMPLAINT_AGENCY);
            String trackingNumber = message.getStringProperty(BusHeaders.COMPLAINT_TRACKING_NUMBER);
            JsonHttpConnector receiver = agency == null ? null : receivers.get(agency);
            if (receiver == null || !(message instanceof TextMessage text) || text.getText() == null) {
                batch.deadLetter(message, new JembatanException(ErrorCode.AGENCY_REJECTED, "no receiver of"
                        + " complaints is configured for agency '" + agency + "' (jembatan.complaints.receivers)",
                        List.of(), null));
                continue;
            }
            RuntimeException refused = attempt(batch, receiver, message, text.getText());
            if (refused != null) {
                log.warn("Complaint {} refused by {}: dead-lettered", trackingNumber, agency);
                batch.deadLetter(message, refused);
            } else {
                complaints.delivered(trackingNumber, agency, JsonHttpConnectorFactory.TYPE);
            }
        }
    }

    /** Delivers one complaint, retrying a refusal; returns the last refusal, or null once delivered. */
    private RuntimeException attempt(JmsBatch batch, JsonHttpConnector receiver, Message message, String body)
            throws JMSException {
        String id = message.getStringProperty(BusHeaders.EVENT_ID);
        String type = message.getStringProperty(BusHeaders.EVENT_TYPE);
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        Duration delay = retries.redeliveryDelay();
        for (int attempt = 0; ; attempt++) {
            try {
                receiver.deliverDocument(id, type, json);
                return null;
            } catch (AgencyRejectedException refused) {
                if (refused instanceof AgencyRejectedPermanentlyException || attempt >= retries.maximumRedeliveries()) {
                    return refused;
                }
            }
            if (!batch.pause(delay)) {
                throw new JembatanException(ErrorCode.AGENCY_UNAVAILABLE, "the complaint delivery stopped while a"
                        + " refused complaint waited for a retry; the batch goes back to the queue", List.of(), null);
            }
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(retries.maximumRedeliveryDelay()) > 0 ? retries.maximumRedeliveryDelay()
                    : doubled;
        }
    }
}
