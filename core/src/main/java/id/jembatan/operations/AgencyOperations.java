package id.jembatan.operations;

import id.jembatan.bus.BrokerSettings;
import id.jembatan.bus.BusConnections;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.ingest.IngestSettings;
import id.jembatan.schema.bus.BusHeaders;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

import java.util.Collections;
import java.util.List;

/**
 * What an operator does to one agency's delivery, for the JMX MBeans and the HTTP operations alike: read its
 * backlog and dead letters (from the broker, embedded or external), pause and resume its delivery (events keep
 * queueing; nothing is lost), and replay or purge its dead-letter queue.
 */
@Service
public class AgencyOperations implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AgencyOperations.class);

    private final Subscriptions subscriptions;
    private final DeliverySwitch deliveries;
    private final ConnectionFactory connectionFactory;
    private final BrokerSettings broker;
    private final IngestSettings ingest;
    private ServerLocator locator;
    private ClientSessionFactory sessionFactory;
    private ClientSession session;

    public AgencyOperations(Subscriptions subscriptions, DeliverySwitch deliveries,
                            @Qualifier(BusConnections.DEDICATED) ConnectionFactory connectionFactory,
                            BrokerSettings broker, IngestSettings ingest) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.connectionFactory = connectionFactory;
        this.broker = broker;
        this.ingest = ingest;
    }

    /** Agencies events are delivered to. */
    public List<String> agencies() {
        return subscriptions.all().stream().map(Subscription::agencyId).toList();
    }

    /** Events waiting in the agency's queue, including those being delivered right now. */
    public long backlog(String agency) {
        return messageCount(subscriptions.require(agency).queueName());
    }

    public long deadLetters(String agency) {
        return messageCount(subscriptions.require(agency).deadLetterQueue());
    }

    public boolean paused(String agency) {
        return deliveries.paused(agency);
    }

    /** Stops consuming the agency's queue; events keep arriving in it. */
    public void pause(String agency) throws Exception {
        deliveries.pause(agency);
        log.info("Delivery to {} paused by an operator", agency);
    }

    public void resume(String agency) throws Exception {
        deliveries.resume(agency);
        log.info("Delivery to {} resumed by an operator", agency);
    }

    /**
     * Moves every dead letter of the agency back into its own queue (not to the other agencies), without the error
     * headers and without the duplicate-detection id, which the broker would otherwise drop as a repeat.
     *
     * @return how many were moved
     */
    public int replayDeadLetters(String agency) throws JMSException {
        Subscription s = subscriptions.require(agency);
        return drainDeadLetters(s, true);
    }

    /** Deletes every dead letter of the agency; returns how many. */
    public int purgeDeadLetters(String agency) throws JMSException {
        Subscription s = subscriptions.require(agency);
        return drainDeadLetters(s, false);
    }

    /** What is waiting in the agency's dead-letter queue, oldest first, without removing it. */
    public List<DeadLetter> browseDeadLetters(String agency, int limit) throws JMSException {
        Subscription s = subscriptions.require(agency);
        try (Connection connection = connectionFactory.createConnection()) {
            Session jms = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            var browser = jms.createBrowser(jms.createQueue(s.deadLetterQueue()));
            List<DeadLetter> letters = new java.util.ArrayList<>();
            for (var e = browser.getEnumeration(); e.hasMoreElements() && letters.size() < limit; ) {
                Message m = (Message) e.nextElement();
                letters.add(new DeadLetter(m.getStringProperty(BusHeaders.EVENT_ID),
                        m.getStringProperty(BusHeaders.EVENT_TYPE), m.getStringProperty(BusHeaders.ERROR_CODE),
                        m.getStringProperty(BusHeaders.ERROR_REASON), m.getJMSTimestamp()));
            }
            return letters;
        }
    }

    /** One dead letter as an operator sees it (no personal data: the body stays in the broker). */
    public record DeadLetter(String eventId, String eventType, String errorCode, String reason, long timestamp) {
    }

    private int drainDeadLetters(Subscription s, boolean replay) throws JMSException {
        int moved = 0;
        try (Connection connection = connectionFactory.createConnection()) {
            Session jms = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = jms.createConsumer(jms.createQueue(s.deadLetterQueue()));
            // The fully qualified name of a queue on a multicast address: only this agency gets the replay.
            MessageProducer producer = jms.createProducer(jms.createTopic(s.queue()));
            connection.start();
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(200)) {
                if (replay) {
                    producer.send(copyForReplay(jms, m));
                }
                if (++moved % 100 == 0) {
                    jms.commit();
                }
            }
            jms.commit();
        }
        log.info("{} {} dead letters of {}", replay ? "Replayed" : "Purged", moved, s.agencyId());
        return moved;
    }

    private static Message copyForReplay(Session jms, Message original) throws JMSException {
        TextMessage copy = jms.createTextMessage(((TextMessage) original).getText());
        for (String name : Collections.list((java.util.Enumeration<String>) original.getPropertyNames())) {
            if (name.startsWith(BusHeaders.PREFIX) && !name.equals(BusHeaders.EVENT_ID)
                    && !name.equals(BusHeaders.EVENT_TYPE)) {
                continue; // the error headers of the failed attempt
            }
            if (name.equals(BusHeaders.DUPLICATE_ID) || name.startsWith("_AMQ") || name.startsWith("JMSX")) {
                continue;
            }
            copy.setObjectProperty(name, original.getObjectProperty(name));
        }
        String group = original.getStringProperty(BusHeaders.GROUP_ID);
        if (group != null) {
            copy.setStringProperty(BusHeaders.GROUP_ID, group);
        }
        return copy;
    }

    /** Messages waiting in the owner agency's inbound queue ({@code civilregistry.events.in}). */
    public long inboundBacklog() {
        return messageCount(ingest.queue());
    }

    /** Refused inbound messages in the owner agency's dead-letter queue ({@code dlq.civil-registry}). */
    public long inboundDeadLetters() {
        return messageCount(ingest.deadLetterQueue());
    }

    private synchronized long messageCount(String queue) {
        try {
            if (session == null || session.isClosed()) {
                locator = ActiveMQClient.createServerLocator(broker.clientUrl());
                sessionFactory = locator.createSessionFactory();
                session = sessionFactory.createSession(broker.user(), broker.password(), false, true, true,
                        false, 1);
            }
            ClientSession.QueueQuery query = session.queueQuery(SimpleString.of(queue));
            return query.isExists() ? query.getMessageCount() : 0;
        } catch (Exception e) {
            closeQuietly();
            throw new IllegalStateException("cannot read queue " + queue + " from the broker: " + e.getMessage(), e);
        }
    }

    private synchronized void closeQuietly() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (ActiveMQException e) {
            log.debug("closing the operations session failed", e);
        }
        if (sessionFactory != null) {
            sessionFactory.close();
        }
        if (locator != null) {
            locator.close();
        }
        session = null;
        sessionFactory = null;
        locator = null;
    }

    @Override
    public void destroy() {
        closeQuietly();
    }
}
