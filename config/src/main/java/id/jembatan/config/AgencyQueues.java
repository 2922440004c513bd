package id.jembatan.config;

import id.jembatan.bus.BrokerManagement;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.connector.jms.JmsConnectorFactory;
import id.jembatan.delivery.Subscription;
import id.jembatan.delivery.Subscriptions;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Makes sure every subscribing agency has its durable queue on {@code citizen.events}, filtered to the event types
 * it subscribes to, its dead-letter queue {@code dlq.<agency>} and, for a {@code jms} agency, the queue it reads
 * itself ({@code agency.<agency>.events}), before anything is published (a multicast address drops what no queue
 * matches). A changed subscription updates the queue's filter in place; messages already queued stay. It does so
 * through the broker's management ({@link BrokerManagement}), on the embedded broker and an external one alike, so a
 * new agency or subscription needs no broker change; the addresses and address settings in {@code broker.xml}
 * (redelivery, dead letters, duplicate detection) are the broker operator's configuration.
 */
@Component
public class AgencyQueues implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(AgencyQueues.class);

    private final Subscriptions subscriptions;
    private final BrokerSettings settings;
    private final BrokerManagement broker;

    public AgencyQueues(Subscriptions subscriptions, BrokerSettings settings, BrokerManagement broker) {
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.broker = broker;
    }

    @Override
    public void afterPropertiesSet() {
        for (Subscription s : subscriptions.all()) {
            QueueConfiguration queue = QueueConfiguration.of(s.queueName())
                    .setAddress(settings.eventsAddress())
                    .setRoutingType(RoutingType.MULTICAST)
                    .setDurable(true)
                    .setFilterString(s.brokerFilter());
            if (!broker.exists(s.queueName())) {
                // Another bus instance on the same broker may create it at the same moment: no harm either way.
                broker.createQueue(queue);
                log.info("Created queue {} with filter {}", s.queue(), s.brokerFilter());
            } else {
                Optional<String> filter = broker.filter(s.queueName());
                if (!filter.equals(Optional.of(s.brokerFilter()))) {
                    broker.updateQueue(queue);
                    log.info("Updated the filter of queue {} from {} to {}", s.queue(), filter.orElse("none"),
                            s.brokerFilter());
                }
            }
            if (JmsConnectorFactory.TYPE.equals(s.connector())) {
                anycast(JmsConnectorFactory.queue(s.agencyId()));
            }
            anycast(s.deadLetterQueue());
        }
    }

    /** A durable anycast queue on an address of its own name, unless it exists. */
    private void anycast(String name) {
        broker.createQueue(QueueConfiguration.of(name).setAddress(name).setAutoCreateAddress(true)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true));
    }
}
