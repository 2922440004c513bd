package id.jembatan.routes;

import id.jembatan.bus.BusConnections;
import id.jembatan.bus.Failures;
import id.jembatan.ingest.Channel;
import id.jembatan.ingest.IngestService;
import id.jembatan.ingest.IngestService.BatchOutcome;
import id.jembatan.ingest.IngestSettings;
import id.jembatan.operations.IngestSwitch;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.rules.FreeText;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The owner agency's inbound queue ({@code civilregistry.events.in}), taken in batches: each consumer takes the
 * messages already waiting (up to {@code jembatan.ingest.batch-size}), ingests them exactly like
 * {@code POST /api/v1/events} in one database transaction ({@link IngestService#ingestBatch}), sends each refused
 * one unchanged to the dead-letter queue with its code, reason and field errors, and acknowledges the batch with
 * one broker commit. So every message ends applied, a duplicate, or dead-lettered with its reason, and a crash at
 * any point leaves it queued (a batch applied but not yet acknowledged comes again and is recognised as duplicates).
 *
 * <p>Anything else (database or broker down) rolls the batch back; the broker redelivers with back-off
 * ({@code broker.xml}), and the messages that come back are then taken one per transaction, so a message that
 * keeps failing for a reason of its own reaches the broker's dead-letter address alone, never with its batch.
 * Message groups ({@code JMSXGroupID} = NIK) keep each citizen's events on one consumer, in order.
 */
@Component
public class IngestQueueConsumer implements SmartLifecycle, IngestSwitch {

    private static final Logger log = LoggerFactory.getLogger(IngestQueueConsumer.class);
    private static final long RECEIVE_TIMEOUT_MILLIS = 1_000;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);

    private final ConnectionFactory connectionFactory;
    private final IngestService ingest;
    private final DeadLetterHeaders deadLetterHeaders;
    private final String queue;
    private final String deadLetterQueue;
    private final String agency;
    private final int consumers;
    private final int batchSize;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    /** Set by an operator: no consumer runs, messages wait in the queue; kept while the bus stops and starts. */
    private volatile boolean paused;
    /** Which start the current consumers belong to: one still finishing after a stop never outlives it. */
    private volatile int generation;

    public IngestQueueConsumer(@Qualifier(BusConnections.DEDICATED) ConnectionFactory connectionFactory,
                               IngestService ingest, DeadLetterHeaders deadLetterHeaders,
                               IngestSettings settings) {
        this.connectionFactory = connectionFactory;
        this.ingest = ingest;
        this.deadLetterHeaders = deadLetterHeaders;
        this.queue = settings.queue();
        this.deadLetterQueue = settings.deadLetterQueue();
        this.agency = settings.queueAgency();
        this.consumers = settings.consumers();
        this.batchSize = settings.batchSize();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (paused) {
            log.info("Not consuming '{}': paused by an operator", queue);
            return;
        }
        startConsumers();
    }

    /** Lets each consumer finish the batch in hand (it commits or rolls back), then closes its connection. */
    @Override
    public synchronized void stop() {
        running = false;
        stopConsumers();
    }

    /**
     * Stops consuming the inbound queue, as {@link #stop()} does (the batch in hand is finished); the owner agency
     * can go on sending, and its messages wait in the queue until {@link #resume()}. HTTP ingest is not affected.
     */
    @Override
    public synchronized void pause() {
        if (paused) {
            return;
        }
        paused = true;
        stopConsumers();
        log.info("Consuming '{}' paused by an operator: messages wait in the queue", queue);
    }

    @Override
    public synchronized void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (running) {
            startConsumers();
        }
        log.info("Consuming '{}' resumed by an operator", queue);
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    private void startConsumers() {
        int current = ++generation;
        for (int i = 1; i <= consumers; i++) {
            Thread worker = new Thread(() -> consume(current), "ingest-" + queue + "-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        log.info("Consuming '{}' with {} consumers, up to {} messages per transaction", queue, consumers, batchSize);
    }

    private void stopConsumers() {
        generation++;
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the broker and the database, before the web server: stops before the broker does. */
    @Override
    public int getPhase() {
        return 0;
    }

    /**
     * Whether a consumer of {@code ownGeneration} should go on taking messages: every stop and every pause starts a
     * new generation, so this one check covers both.
     */
    private boolean active(int ownGeneration) {
        return generation == ownGeneration;
    }

    private void consume(int ownGeneration) {
        while (active(ownGeneration)) {
            try (Connection connection = connectionFactory.createConnection()) {
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
                MessageProducer deadLetters = session.createProducer(session.createQueue(deadLetterQueue));
                deadLetters.setDeliveryMode(DeliveryMode.PERSISTENT);
                connection.start();
                int oneByOne = 0;
                while (active(ownGeneration)) {
                    List<Message> batch = receive(consumer, oneByOne > 0 ? 1 : batchSize);
                    if (batch.isEmpty()) {
                        continue;
                    }
                    try {
                        process(batch, session, deadLetters);
                        session.commit();
                        oneByOne = Math.max(0, oneByOne - batch.size());
                    } catch (RuntimeException | JMSException e) {
                        rollback(session);
                        // The messages come back after the broker's redelivery delay: one transaction each, so the
                        // one that failed (if it is one of them) does not take the others to the dead-letter address.
                        oneByOne = Math.max(oneByOne, batch.size() > 1 ? batch.size() : 0);
                        log.warn("Ingest of {} message(s) from '{}' rolled back, the broker redelivers: {}",
                                batch.size(), queue, Failures.describe(e));
                        if (e instanceof JMSException) {
                            throw (JMSException) e;
                        }
                    }
                }
            } catch (JMSException | RuntimeException e) {
                if (!active(ownGeneration)) {
                    return;
                }
                log.warn("Consumer of '{}' lost its broker session, reconnecting in {}: {}", queue, RECONNECT_DELAY,
                        e.toString());
                sleep(RECONNECT_DELAY);
            } catch (Error fatal) {
                // Closing the connection rolled the batch back (the broker redelivers it). The consumer carries on
                // rather than leave the queue with one consumer fewer, or none, and nothing in the log but this.
                log.error("Consumer of '{}' failed, its batch is rolled back; going on in {}", queue,
                        RECONNECT_DELAY, fatal);
                sleep(RECONNECT_DELAY);
            }
        }
    }

    /** Waits for the first message, then takes what is already waiting, up to {@code max}. */
    private static List<Message> receive(MessageConsumer consumer, int max) throws JMSException {
        Message first = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
        if (first == null) {
            return Collections.emptyList();
        }
        List<Message> batch = new ArrayList<>(Math.min(max, 128));
        batch.add(first);
        while (batch.size() < max) {
            Message next = consumer.receiveNoWait();
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    private void process(List<Message> batch, Session session, MessageProducer deadLetters) throws JMSException {
        List<byte[]> bodies = new ArrayList<>(batch.size());
        for (Message message : batch) {
            bodies.add(body(message));
        }
        List<BatchOutcome> outcomes = ingest.ingestBatch(agency, Channel.JMS, bodies);
        for (int i = 0; i < outcomes.size(); i++) {
            JembatanException rejection = outcomes.get(i).rejection();
            if (rejection != null) {
                deadLetter(batch.get(i), bodies.get(i), rejection, session, deadLetters);
            }
        }
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

    /**
     * Sends the message, unchanged, to the dead-letter queue in the batch's transaction, with why it was refused: the
     * same body (text, bytes as already read, or map) and properties, plus the error code, reason and field errors.
     */
    private void deadLetter(Message original, byte[] body, JembatanException rejection, Session session,
                            MessageProducer deadLetters) throws JMSException {
        Message copy;
        if (original instanceof TextMessage text) {
            copy = session.createTextMessage(text.getText());
        } else if (original instanceof BytesMessage) {
            BytesMessage out = session.createBytesMessage();
            out.writeBytes(body);
            copy = out;
        } else if (original instanceof MapMessage map) {
            MapMessage out = session.createMapMessage();
            for (String name : Collections.list(names(map.getMapNames()))) {
                out.setObject(name, map.getObject(name));
            }
            copy = out;
        } else {
            // An object or stream message: its body is never deserialized here (an object message from outside
            // is untrusted code), so the dead letter keeps its properties and says why.
            copy = session.createMessage();
        }
        for (String name : Collections.list(names(original.getPropertyNames()))) {
            // Broker-set properties (delivery count, internal routing) are the broker's to set again.
            if ((name.startsWith("JMSX") && !name.equals(BusHeaders.GROUP_ID)) || name.startsWith("_AMQ")) {
                continue;
            }
            copy.setObjectProperty(name, original.getObjectProperty(name));
        }
        Map<String, String> why = deadLetterHeaders.describe(rejection);
        for (Map.Entry<String, String> header : why.entrySet()) {
            copy.setStringProperty(header.getKey(), header.getValue());
        }
        deadLetters.send(copy);
        log.warn("Rejected message {} on '{}': {} {}", original.getJMSMessageID(), queue, rejection.code(),
                why.get(BusHeaders.ERROR_DETAILS));
    }

    @SuppressWarnings("unchecked")
    private static Enumeration<String> names(Enumeration<?> names) {
        return (Enumeration<String>) names;
    }

    private static void rollback(Session session) {
        try {
            session.rollback();
        } catch (JMSException e) {
            log.debug("Rolling back the inbound batch failed (the broker redelivers it anyway)", e);
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
