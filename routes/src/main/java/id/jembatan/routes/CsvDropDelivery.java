package id.jembatan.routes;

import id.jembatan.bus.BusConnections;
import id.jembatan.connector.licensing.CsvDropSettings;
import id.jembatan.connector.licensing.CsvDropWriter;
import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.connector.licensing.LicensingTranslator;
import id.jembatan.delivery.DeliveryAudit;
import id.jembatan.delivery.DeliveryService;
import id.jembatan.delivery.Subscription;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.CitizenEvent;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivery to file-drop agencies: takes up to a batch of events from the agency's queue in one broker
 * transaction, writes them as one drop file (atomically), and only then commits. If the bus dies between the file
 * and the commit the events come again in a later file: each row carries its event id so the agency drops
 * repeats. Each row written is audited ({@link DeliveryAudit}) after the file and before the commit. An event that
 * cannot be translated goes to the agency's dead-letter queue in the same transaction.
 */
@Component
public class CsvDropDelivery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CsvDropDelivery.class);

    /** One agency's own connection, transacted session and consumer, kept between drains. */
    private record Channel(Connection connection, Session session, MessageConsumer consumer,
                           MessageProducer deadLetters) {
    }

    private final ConnectionFactory connectionFactory;
    private final DeliveryService deliveryService;
    private final DeliveryAudit deliveryAudit;
    private final LicensingTranslator translator = new LicensingTranslator();
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    public CsvDropDelivery(@Qualifier(BusConnections.DEDICATED) ConnectionFactory connectionFactory,
                           DeliveryService deliveryService, DeliveryAudit deliveryAudit, DeliveryMetrics metrics,
                           Clock clock) {
        this.connectionFactory = connectionFactory;
        this.metrics = metrics;
        this.deliveryService = deliveryService;
        this.deliveryAudit = deliveryAudit;
        this.clock = clock;
    }

    /**
     * Writes drop files until the agency's queue is empty; returns how many events were written. Called from one
     * thread per agency (its timer route).
     */
    public int drain(Subscription subscription) throws JMSException, IOException {
        CsvDropSettings settings = subscription.connectorSettings(CsvDropSettings.class);
        int batchSize = settings.delivery().batchSize();
        CsvDropWriter writer = new CsvDropWriter(settings.directory(), "jembatan-" + subscription.agencyId(), clock);
        Channel channel = channel(subscription);
        int written = 0;
        int taken;
        do {
            List<LicenceUpdate> rows = new ArrayList<>();
            List<CitizenEvent> given = new ArrayList<>();
            List<Long> publishedAt = new ArrayList<>();
            taken = 0;
            try {
                for (Message m = channel.consumer().receive(100); m != null;
                     m = taken < batchSize ? channel.consumer().receive(20) : null) {
                    taken++;
                    long published = m.getJMSTimestamp();
                    translate(subscription, m, channel, given).ifPresent(row -> {
                        rows.add(row);
                        publishedAt.add(published);
                    });
                }
                if (!rows.isEmpty()) {
                    Path file = writer.write(rows);
                    log.info("Dropped {} events for {} in {}", rows.size(), subscription.agencyId(),
                            file.getFileName());
                    // Audited once the file is there; if the commit below fails, the rows come again in a later
                    // file and are audited again, as they were given again.
                    deliveryAudit.recordDeliveries(subscription.agencyId(), given);
                }
                channel.session().commit();
                written += rows.size();
                publishedAt.forEach(at -> metrics.delivered(subscription.agencyId(), at));
            } catch (JMSException | IOException | RuntimeException e) {
                metrics.failed(subscription.agencyId(), e);
                // Nothing is acknowledged: the broker redelivers the batch with back-off.
                close(subscription.agencyId());
                throw e;
            }
        } while (taken >= batchSize);
        return written;
    }

    private Channel channel(Subscription subscription) throws JMSException {
        Channel channel = channels.get(subscription.agencyId());
        if (channel != null) {
            return channel;
        }
        Connection connection = connectionFactory.createConnection();
        try {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            channel = new Channel(connection, session, session.createConsumer(session.createQueue(subscription.queue())),
                    session.createProducer(session.createQueue(subscription.deadLetterQueue())));
            connection.start();
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
        channels.put(subscription.agencyId(), channel);
        return channel;
    }

    private void close(String agencyId) {
        Channel channel = channels.remove(agencyId);
        if (channel != null) {
            try {
                channel.connection().close(); // rolls back what the session had not committed
            } catch (JMSException e) {
                log.debug("Closing the drop connection of {} failed", agencyId, e);
            }
        }
    }

    @Override
    public void destroy() {
        channels.keySet().forEach(this::close);
    }

    /** The event's row, if it makes one; the event as the agency may see it is added to {@code given} then. */
    private Optional<LicenceUpdate> translate(Subscription subscription, Message message, Channel channel,
                                              List<CitizenEvent> given) throws JMSException {
        String body = message instanceof TextMessage text ? text.getText() : null;
        try {
            if (body == null) {
                throw new JembatanException(ErrorCode.MALFORMED_JSON, "not a text message");
            }
            CitizenEvent event = deliveryService.prepare(body, subscription.agencyId());
            Optional<LicenceUpdate> row = translator.translate(event);
            row.ifPresent(r -> given.add(event));
            return row;
        } catch (RuntimeException e) {
            ErrorCode code = e instanceof JembatanException j ? j.code() : ErrorCode.TRANSLATION_FAILED;
            Message dead = channel.session().createTextMessage(body);
            dead.setStringProperty(BusHeaders.EVENT_ID, message.getStringProperty(BusHeaders.EVENT_ID));
            dead.setStringProperty(BusHeaders.EVENT_TYPE, message.getStringProperty(BusHeaders.EVENT_TYPE));
            // Kept so that a replay puts it back in the citizen's group, in order with the citizen's other events.
            String group = message.getStringProperty(BusHeaders.GROUP_ID);
            if (group != null) {
                dead.setStringProperty(BusHeaders.GROUP_ID, group);
            }
            dead.setStringProperty(BusHeaders.ERROR_CODE, code.name());
            dead.setStringProperty(BusHeaders.ERROR_REASON, e.getClass().getSimpleName() + ": " + e.getMessage());
            channel.deadLetters().send(dead);
            log.warn("Dead-lettered event {} for {}: {} {}", message.getStringProperty(BusHeaders.EVENT_ID),
                    subscription.agencyId(), code, e.getMessage());
            return Optional.empty();
        }
    }
}
