package id.jembatan.routes;

import id.jembatan.connector.licensing.CsvDropSettings;
import id.jembatan.connector.licensing.CsvDropWriter;
import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.connector.licensing.LicensingTranslator;
import id.jembatan.delivery.DeliveryAudit;
import id.jembatan.delivery.DeliveryService;
import id.jembatan.delivery.Subscription;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.routes.broker.JmsBatch;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.CitizenEvent;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One batch of a file-drop agency's events, taken from its queue in one broker transaction ({@link CsvDropRoute}),
 * written as one drop file (atomically) before that transaction commits. If the bus dies between the file and the
 * commit the events come again in a later file: each row carries its event id so the agency drops repeats. Each row
 * written is audited ({@link DeliveryAudit}) after the file and before the commit. An event that cannot be put into
 * a row goes to the agency's dead-letter queue in the same transaction; the others are written.
 */
@Component
public class CsvDropDelivery {

    private static final Logger log = LoggerFactory.getLogger(CsvDropDelivery.class);

    private final DeliveryService deliveryService;
    private final DeliveryAudit deliveryAudit;
    private final LicensingTranslator translator = new LicensingTranslator();
    private final DeliveryMetrics metrics;
    private final Clock clock;

    public CsvDropDelivery(DeliveryService deliveryService, DeliveryAudit deliveryAudit, DeliveryMetrics metrics,
                           Clock clock) {
        this.metrics = metrics;
        this.deliveryService = deliveryService;
        this.deliveryAudit = deliveryAudit;
        this.clock = clock;
    }

    /**
     * Writes the batch's events as one drop file and audits them.
     *
     * @throws IOException the file could not be written; nothing of the batch is acknowledged
     */
    public void write(Subscription subscription, JmsBatch batch) throws IOException, JMSException {
        String agency = subscription.agencyId();
        List<LicenceUpdate> rows = new ArrayList<>();
        List<CitizenEvent> given = new ArrayList<>();
        List<Long> publishedAt = new ArrayList<>();
        for (Message message : batch.messages()) {
            Optional<Row> row = row(agency, message, batch);
            if (row.isPresent()) {
                rows.add(row.get().update());
                given.add(row.get().event());
                publishedAt.add(message.getJMSTimestamp());
            }
        }
        try {
            if (!rows.isEmpty()) {
                Path file = new CsvDropWriter(subscription.connectorSettings(CsvDropSettings.class).directory(),
                        "jembatan-" + agency, clock).write(rows);
                log.info("Dropped {} events for {} in {}", rows.size(), agency, file.getFileName());
                // Audited once the file is there; if the commit fails, the rows come again in a later file and are
                // audited again, as they were given again.
                deliveryAudit.recordDeliveries(agency, given);
            }
        } catch (IOException | RuntimeException e) {
            metrics.failed(agency, e);
            throw e;
        }
        publishedAt.forEach(at -> metrics.delivered(agency, at));
    }

    /** One event's row and the event as the agency may see it. */
    private record Row(LicenceUpdate update, CitizenEvent event) {
    }

    /** The message's row, if it makes one; one that cannot be read or translated is set aside for dead-lettering. */
    private Optional<Row> row(String agency, Message message, JmsBatch batch) throws JMSException {
        try {
            if (!(message instanceof TextMessage text)) {
                throw new JembatanException(ErrorCode.MALFORMED_JSON, "not a text message");
            }
            CitizenEvent event = deliveryService.prepare(text.getText(), agency);
            return translator.translate(event).map(update -> new Row(update, event));
        } catch (RuntimeException e) {
            metrics.failed(agency, e);
            metrics.deadLettered(agency);
            batch.deadLetter(message, e);
            return Optional.empty();
        }
    }
}
