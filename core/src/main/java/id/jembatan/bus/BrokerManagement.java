package id.jembatan.bus;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Artemis management over the bus's own broker connection: each call is a management message to the broker's
 * management address ({@code activemq.management}), answered on a temporary queue. The same calls reach the
 * embedded broker and an external one (its MBeans would reach only the former) and act on the broker itself:
 * moving, removing, counting and browsing messages happen there, in one operation each, without taking the messages
 * off the queue one by one. The bus's broker user needs the {@code manage} permission on the management address
 * (docs/deployment.md). Calls are serialised on one connection, opened when first needed and again after a failure.
 */
@Component
public class BrokerManagement implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BrokerManagement.class);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    /** Artemis' answer when a resource (here: a queue) does not exist. */
    private static final String NO_SUCH_RESOURCE = "AMQ229067";

    private final ConnectionFactory connectionFactory;
    private Connection connection;
    private Session session;
    private MessageProducer requests;
    private Queue replyQueue;
    private MessageConsumer replies;

    public BrokerManagement(@Qualifier(BusConnections.DEDICATED) ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /** Messages in the queue, those being delivered included; 0 if there is no such queue. */
    public long messageCount(String queue) {
        try {
            return ((Number) invoke(ResourceNames.QUEUE + queue, "getMessageCount")).longValue();
        } catch (NoSuchQueueException e) {
            return 0;
        }
    }

    /**
     * Moves every message of {@code from} to the queue {@code to} alone (on a multicast address, none of the
     * address's other queues gets it), with its properties, group and duplicate id (not checked again: a message
     * the broker has seen before goes back too); returns how many.
     */
    public int moveMessages(String from, String to) {
        return ((Number) invoke(ResourceNames.QUEUE + from, "moveMessages", null, to)).intValue();
    }

    /** Deletes every message of the queue; returns how many. */
    public int removeMessages(String queue) {
        return ((Number) invoke(ResourceNames.QUEUE + queue, "removeMessages", (Object) null)).intValue();
    }

    /**
     * The first {@code limit} messages of the queue, oldest first, without taking them: each one's properties (its
     * body is not read) and its {@code timestamp}.
     */
    public List<Map<String, Object>> browse(String queue, int limit) {
        Object result = invoke(ResourceNames.QUEUE + queue, "browse", 1, limit, null);
        // Artemis answers with the CompositeData[] of QueueControl.browse, keyed by its class name.
        Object[] browsed = (Object[]) ((Map<?, ?>) result).get(CompositeData.class.getName());
        List<Map<String, Object>> messages = new ArrayList<>(browsed.length);
        for (Object item : browsed) {
            CompositeData message = (CompositeData) item;
            Map<String, Object> properties = new LinkedHashMap<>();
            for (String type : new String[] {"StringProperties", "BooleanProperties", "ByteProperties",
                    "ShortProperties", "IntProperties", "LongProperties", "FloatProperties", "DoubleProperties"}) {
                if (message.containsKey(type) && message.get(type) instanceof TabularData table) {
                    for (CompositeData row : values(table)) {
                        properties.put((String) row.get("key"), row.get("value"));
                    }
                }
            }
            properties.put("timestamp", message.get("timestamp"));
            messages.add(properties);
        }
        return messages;
    }

    /** Creates the queue unless it exists (another bus instance may create it at the same moment). */
    public void createQueue(QueueConfiguration queue) {
        invoke(ResourceNames.BROKER, "createQueue", queue.toJSON(), true);
    }

    /** Changes an existing queue to this configuration (its filter, for one); messages already queued stay. */
    public void updateQueue(QueueConfiguration queue) {
        invoke(ResourceNames.BROKER, "updateQueue", queue.toJSON());
    }

    /** The filter of an existing queue, or empty if it has none. */
    public Optional<String> filter(String queue) {
        return Optional.ofNullable(invoke(ResourceNames.QUEUE + queue, "getFilter")).map(String::valueOf)
                .filter(f -> !f.isEmpty());
    }

    /**
     * Closes every connection the broker has for the user (an agency signs in as its id), and drops the broker's
     * cached permissions, so that neither a connection opened before nor a permission checked before outlives the
     * agency's suspension. A client that reconnects signs in again.
     *
     * @return whether the broker had a connection of that user
     */
    public boolean closeConnectionsOf(String user) {
        Object closed = invoke(ResourceNames.BROKER, "closeConnectionsForUser", user);
        invoke(ResourceNames.BROKER, "clearAuthorizationCache");
        return Boolean.TRUE.equals(closed);
    }

    /** Whether the broker has the queue. */
    public boolean exists(String queue) {
        try {
            invoke(ResourceNames.QUEUE + queue, "getName");
            return true;
        } catch (NoSuchQueueException e) {
            return false;
        }
    }

    /**
     * Invokes an operation of a resource's control ({@code QueueControl}, {@code ActiveMQServerControl}); a getter is
     * invoked as an operation too, because the broker answers a missing resource there with its code (an attribute
     * read says only that it failed).
     */
    private Object invoke(String resource, String operation, Object... parameters) {
        return request(resource, operation,
                message -> JMSManagementHelper.putOperationInvocation(message, resource, operation, parameters));
    }

    private interface Filling {
        void fill(Message message) throws Exception;
    }

    /** Sends one management request and waits for its answer; the operation's result, or a failure. */
    private synchronized Object request(String resource, String what, Filling filling) {
        try {
            open();
            Message request = session.createMessage();
            filling.fill(request);
            String correlation = UUID.randomUUID().toString();
            request.setJMSCorrelationID(correlation);
            request.setJMSReplyTo(replyQueue);
            // Persistent, so the send waits for the broker and a refusal (no manage permission) is thrown here.
            requests.send(request, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            Message answer;
            do {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                answer = replies.receive(left);
                // An answer to an earlier request that timed out is passed over.
            } while (answer != null && !correlation.equals(answer.getJMSCorrelationID()));
            if (answer == null) {
                throw new BrokerManagementException(what + " on " + resource + ": the broker did not answer within "
                        + ANSWER_TIMEOUT.toSeconds() + " s");
            }
            Object result = JMSManagementHelper.getResult(answer);
            if (!JMSManagementHelper.hasOperationSucceeded(answer)) {
                String failure = String.valueOf(result);
                if (failure.startsWith(NO_SUCH_RESOURCE)) {
                    throw new NoSuchQueueException(resource);
                }
                throw new BrokerManagementException(what + " on " + resource + " failed on the broker: " + failure);
            }
            return result;
        } catch (BrokerManagementException e) {
            throw e;
        } catch (Exception e) {
            close();
            throw new BrokerManagementException(what + " on " + resource + " failed: " + e, e);
        }
    }

    private void open() throws JMSException {
        if (session != null) {
            return;
        }
        try {
            connection = connectionFactory.createConnection();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            requests = session.createProducer(session.createQueue(
                    ActiveMQDefaultConfiguration.getDefaultManagementAddress().toString()));
            replyQueue = session.createTemporaryQueue();
            replies = session.createConsumer(replyQueue);
            connection.start();
        } catch (JMSException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private synchronized void close() {
        BusConnections.closeQuietly(connection, log, "the management");
        connection = null;
        session = null;
        requests = null;
        replyQueue = null;
        replies = null;
    }

    @Override
    public void destroy() {
        close();
    }

    @SuppressWarnings("unchecked")
    private static Collection<CompositeData> values(TabularData table) {
        return (Collection<CompositeData>) table.values();
    }

    /** A management operation the broker refused, failed or did not answer. */
    public static class BrokerManagementException extends RuntimeException {

        BrokerManagementException(String message) {
            super(message);
        }

        BrokerManagementException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The broker has no such queue. */
    private static final class NoSuchQueueException extends BrokerManagementException {

        NoSuchQueueException(String resource) {
            super("the broker has no " + resource);
        }
    }
}
