package id.jembatan.config;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.agency.AgencySuspensions;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.ingest.IngestSettings;
import id.jembatan.operator.OperatorDirectory;
import id.jembatan.settings.InvalidConfigurationException;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import id.jembatan.bus.BusConnections;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Primary;
import org.springframework.jms.connection.CachingConnectionFactory;

import java.nio.file.Path;

/**
 * The broker: ActiveMQ Artemis embedded in the bus (journal under {@code <data-dir>/broker}, settings in
 * {@code broker.xml}, a CORE+AMQP acceptor for agencies, {@link BrokerSecurity}), or an external broker or cluster
 * when {@code jembatan.broker.embedded=false}; and the JMS connection factory every route and the outbox relay use.
 */
@Configuration(proxyBeanMethods = false)
@DependsOn(ConfigurationCheck.BEAN_NAME)
public class BrokerConfiguration {

    /** The name of the embedded broker's TLS acceptor ({@code jembatan.broker.tls}). */
    public static final String TLS_ACCEPTOR = "artemis-tls";

    /**
     * The embedded broker: the one {@link EarlyBrokerStart} began starting when the context's refresh began (its start
     * is waited for here, its failure thrown here), or, without it, one started here; then given the agencies' and
     * operators' keys ({@link BrokerSecurity}): until this bean exists only the bus itself signs in.
     */
    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(name = "jembatan.broker.embedded", havingValue = "true", matchIfMissing = true)
    EmbeddedActiveMQ embeddedBroker(BrokerSettings settings, DataDirSettings data, IngestSettings ingest,
                                     AgenciesSettings agencySettings, AgencyDirectory agencies,
                                     OperatorDirectory operators, AgencySuspensions suspensions,
                                     @Qualifier(EarlyBrokerStart.BEAN_NAME)
                                     ObjectProvider<PendingStart<BrokerStart, BrokerStart.Started>> pending)
            throws Exception {
        BrokerStart start = BrokerStart.of(settings, data, ingest, agencySettings);
        PendingStart<BrokerStart, BrokerStart.Started> early = pending.getIfAvailable();
        BrokerStart.Started started = early != null ? early.take(start) : start.start();
        started.security().admit(new BrokerSecurity(agencies, operators, suspensions::suspended));
        return started.broker();
    }

    /**
     * The shipped {@code broker.xml} (addresses, address settings, journal, duplicate detection) for a broker named
     * {@code name} with its journal, bindings, paging and large messages under {@code dir}, and no acceptor yet.
     * The embedded broker starts from it; so do the tests' and the benchmark's stand-alone brokers, which is what
     * an external broker must carry too (docs/deployment.md).
     */
    public static FileConfiguration fromBrokerXml(String name, Path dir) throws Exception {
        FileConfiguration config = new FileConfiguration();
        FileDeploymentManager deployment = new FileDeploymentManager("broker.xml");
        deployment.addDeployable(config);
        deployment.readConfiguration();
        config.setName(name);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(dir.toString());
        return config;
    }

    /**
     * The broker's own connection factory, for components that keep one long-lived connection and consumer of
     * their own (the outbox relay, the {@code jms-batch:} consumers, broker management): a cached, shared consumer
     * would hold message groups it never reads. Destinations are cached so that a send does not look its address up with a blocking round trip.
     */
    @Bean(BusConnections.DEDICATED)
    ActiveMQConnectionFactory brokerConnectionFactory(BrokerSettings settings,
                                                      ObjectProvider<EmbeddedActiveMQ> embeddedBroker) {
        embeddedBroker.getIfAvailable(); // the in-VM acceptor must exist before the first connection
        InvalidConfigurationException.throwIfAny(settings.problems());
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(settings.clientUrl());
        artemis.setCacheDestinations(true);
        if (settings.user() != null) {
            artemis.setUser(settings.user());
            artemis.setPassword(settings.password());
        }
        return artemis;
    }

    /** The pooled factory Camel's routes and Spring's JMS templates use (sessions and producers cached). */
    @Bean
    @Primary
    ConnectionFactory jmsConnectionFactory(@Qualifier(BusConnections.DEDICATED) ActiveMQConnectionFactory broker) {
        CachingConnectionFactory caching = new CachingConnectionFactory(broker);
        caching.setSessionCacheSize(10);
        // A cached consumer is never closed on the broker: it keeps the message groups and prefetched messages of
        // a stopped route, and the restarted route gets none of them. Listener containers keep their own.
        caching.setCacheConsumers(false);
        return caching;
    }

    /** Camel's {@code jms:} component on the bus's connection factory. */
    @Bean
    JmsComponent jms(ConnectionFactory connectionFactory) {
        return JmsComponent.jmsComponent(connectionFactory);
    }
}
