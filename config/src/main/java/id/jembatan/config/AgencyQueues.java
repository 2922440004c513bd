package id.jembatan.config;

import id.jembatan.bus.BrokerSettings;
import id.jembatan.connector.jms.JmsConnectorFactory;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.Objects;

/**
 * Makes sure every subscribing agency has its durable queue on {@code citizen.events}, filtered to the event types
 * it subscribes to, its dead-letter queue {@code dlq.<agency>} and, for a {@code jms} agency, the queue it reads
 * itself ({@code agency.<agency>.events}), before anything is published (a multicast address drops what no queue
 * matches). A changed subscription updates the queue's filter in place; messages already queued stay. On an
 * external broker the same happens through the client session, so a new agency needs no broker change; the
 * addresses and address settings in {@code broker.xml} (redelivery, dead letters, duplicate detection) are the
 * broker operator's configuration.
 */
@Component
public class AgencyQueues implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(AgencyQueues.class);

    private final Subscriptions subscriptions;
    private final BrokerSettings broker;
    private final ObjectProvider<EmbeddedActiveMQ> embeddedBroker;

    public AgencyQueues(Subscriptions subscriptions, BrokerSettings broker,
                        ObjectProvider<EmbeddedActiveMQ> embeddedBroker) {
        this.subscriptions = subscriptions;
        this.broker = broker;
        this.embeddedBroker = embeddedBroker;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        EmbeddedActiveMQ embedded = embeddedBroker.getIfAvailable();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.clientUrl());
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(broker.user(), broker.password(), false, true, true,
                     false, 1)) {
            for (Subscription s : subscriptions.all()) {
                QueueConfiguration queue = QueueConfiguration.of(s.queueName())
                        .setAddress(broker.eventsAddress())
                        .setRoutingType(RoutingType.MULTICAST)
                        .setDurable(true)
                        .setFilterString(s.brokerFilter());
                ClientSession.QueueQuery existing = session.queueQuery(SimpleString.of(s.queueName()));
                if (!existing.isExists()) {
                    if (createIfAbsent(session, queue)) {
                        log.info("Created queue {} with filter {}", s.queue(), s.brokerFilter());
                    }
                } else if (!Objects.equals(String.valueOf(existing.getFilterString()), s.brokerFilter())) {
                    if (embedded != null) {
                        embedded.getActiveMQServer().updateQueue(queue);
                        log.info("Updated the filter of queue {} to {}", s.queue(), s.brokerFilter());
                    } else {
                        log.warn("Queue {} on the external broker has filter {} but the configuration says {}; "
                                        + "update it with the broker's updateQueue management operation",
                                s.queue(), existing.getFilterString(), s.brokerFilter());
                    }
                }
                String own = JmsConnectorFactory.queue(s.agencyId());
                if (JmsConnectorFactory.TYPE.equals(s.connector())
                        && !session.queueQuery(SimpleString.of(own)).isExists()) {
                    createIfAbsent(session, QueueConfiguration.of(own).setAddress(own)
                            .setRoutingType(RoutingType.ANYCAST).setDurable(true));
                }
                if (!session.queueQuery(SimpleString.of(s.deadLetterQueue())).isExists()) {
                    createIfAbsent(session, QueueConfiguration.of(s.deadLetterQueue())
                            .setAddress(s.deadLetterQueue())
                            .setRoutingType(RoutingType.ANYCAST)
                            .setDurable(true));
                }
            }
        }
    }

    /**
     * Creates a queue unless another bus instance on the same external broker created it between our query and our
     * create (instances start together); returns whether this call created it.
     */
    private static boolean createIfAbsent(ClientSession session, QueueConfiguration queue) throws Exception {
        try {
            session.createQueue(queue);
            return true;
        } catch (ActiveMQQueueExistsException e) {
            return false;
        }
    }
}
