package id.jembatan.routes;

import id.jembatan.connector.TraceContext;
import id.jembatan.ingest.Channel;
import id.jembatan.ingest.IngestService;
import id.jembatan.ingest.IngestService.BatchOutcome;
import id.jembatan.ingest.IngestSettings;
import id.jembatan.ingest.IngestResult;
import id.jembatan.operations.IngestSwitch;
import id.jembatan.outbox.OutboxRelay;
import id.jembatan.routes.broker.JmsBatch;
import id.jembatan.routes.broker.JmsBatchComponent;
import id.jembatan.schema.rules.FreeText;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The owner agency's inbound queue ({@code civilregistry.events.in}), route {@value #ROUTE_ID}, taken in batches
 * ({@code jms-batch:}): each consumer takes the messages already waiting (up to {@code jembatan.ingest.batch-size}),
 * ingests them exactly like {@code POST /api/v1/events} in one database transaction
 * ({@link IngestService#ingestBatch}), sets each refused one aside for the dead-letter queue with its code, reason
 * and field errors, and acknowledges the batch with one broker commit, which also publishes the events it applied
 * ({@link OutboxRelay#publishWithin}: the acknowledgement and the publication share one journal sync). So every
 * message ends applied, a duplicate, or dead-lettered with its reason, and a crash at any point leaves it queued (a
 * batch applied but not yet acknowledged comes again and is recognised as duplicates; its outbox rows stay for the
 * relay).
 *
 * <p>Anything else (database or broker down) rolls the batch back; the broker redelivers with back-off
 * ({@code broker.xml}), and the messages that come back are then taken one per transaction, so a message that keeps
 * failing for a reason of its own reaches the broker's dead-letter address alone, never with its batch. Message
 * groups ({@code JMSXGroupID}) keep each citizen's events on one consumer, in order. An operator pauses it by
 * stopping the route ({@link IngestSwitch}): messages wait in the queue, HTTP ingest goes on.
 */
@Component
public class IngestRoute extends RouteBuilder implements IngestSwitch {

    public static final String ROUTE_ID = "ingest-accept-batch";

    private static final Logger log = LoggerFactory.getLogger(IngestRoute.class);

    private final IngestService ingest;
    private final IngestSettings settings;
    private final OutboxRelay relay;
    /** The bus's context, which the operators' switch asks even before this builder's routes are added to it. */
    private final CamelContext camel;

    public IngestRoute(IngestService ingest, IngestSettings settings, OutboxRelay relay, CamelContext camel) {
        this.ingest = ingest;
        this.settings = settings;
        this.relay = relay;
        this.camel = camel;
    }

    @Override
    public void configure() {
        from(JmsBatchComponent.SCHEME + ":" + settings.queue()
                + "?deadLetterQueue=" + settings.deadLetterQueue()
                + "&consumers=" + settings.consumers()
                + "&batchSize=" + settings.batchSize()
                + "&splitAfterRollback=true")
                .routeId(ROUTE_ID)
                // A failed batch is rolled back and logged by the consumer, by the failure's types: Camel's error
                // handler would log its message, which may quote the events' personal data.
                .errorHandler(noErrorHandler())
                .process(this::ingest);
    }

    private void ingest(Exchange exchange) throws Exception {
        JmsBatch batch = exchange.getMessage().getMandatoryBody(JmsBatch.class);
        List<Message> messages = batch.messages();
        List<byte[]> bodies = new ArrayList<>(messages.size());
        List<String> traceParents = new ArrayList<>(messages.size());
        for (Message message : messages) {
            bodies.add(body(message));
            // The sender's trace context, if it sent one: each event continues the trace of its own message.
            traceParents.add(message.getStringProperty(TraceContext.TRACEPARENT));
        }
        List<BatchOutcome> outcomes = ingest.ingestBatch(settings.queueAgency(), Channel.JMS, bodies, traceParents);
        boolean applied = false;
        for (int i = 0; i < outcomes.size(); i++) {
            BatchOutcome outcome = outcomes.get(i);
            if (outcome.rejection() != null) {
                batch.deadLetter(messages.get(i), outcome.rejection());
            } else if (outcome.result().status() == IngestResult.Status.ACCEPTED) {
                applied = true;
            }
        }
        if (applied) {
            // Published in the batch's own broker transaction: one commit for the acknowledgement and the events.
            batch.commitWith(relay::publishWithin);
        }
    }

    @Override
    public boolean isPaused() {
        return OperatorRoutes.paused(camel, ROUTE_ID);
    }

    /** Stops the route: each consumer finishes the batch in hand, then the messages wait in the queue. */
    @Override
    public void pause() throws Exception {
        OperatorRoutes.pause(camel, ROUTE_ID);
        log.info("Consuming '{}' paused by an operator: messages wait in the queue", settings.queue());
    }

    @Override
    public void resume() throws Exception {
        OperatorRoutes.resume(camel, ROUTE_ID);
        log.info("Consuming '{}' resumed by an operator", settings.queue());
    }

    /**
     * The body as sent: a text message's text as UTF-8 or a bytes message's bytes; null for any other message. A text
     * message can carry what UTF-8 cannot (an unpaired surrogate), which {@code String.getBytes} would silently
     * turn into {@code ?}: such a character is written as generalized UTF-8 instead (WTF-8: the three bytes of the
     * surrogate's code point), which ingest's strict UTF-8 decoding refuses as {@code MALFORMED_TEXT}.
     */
    static byte[] body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            String body = text.getText();
            return body == null ? new byte[0] : wtf8(body);
        }
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) Math.min(Integer.MAX_VALUE, bytes.getBodyLength())];
            bytes.readBytes(body);
            return body;
        }
        return null;
    }

    /** {@code text} as UTF-8, except that an unpaired surrogate is encoded as its own code point (WTF-8). */
    static byte[] wtf8(String text) {
        if (FreeText.firstUnpairedSurrogate(text) < 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 3);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int width = Character.charCount(codePoint);
            if (Character.isSurrogate(text.charAt(i)) && width == 1) {
                out.write(0xE0 | (codePoint >> 12));
                out.write(0x80 | ((codePoint >> 6) & 0x3F));
                out.write(0x80 | (codePoint & 0x3F));
            } else {
                byte[] encoded = text.substring(i, i + width).getBytes(StandardCharsets.UTF_8);
                out.write(encoded, 0, encoded.length);
            }
            i += width;
        }
        return out.toByteArray();
    }
}
