package id.jembatan.config;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.ingest.IngestSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.Environment;

/**
 * Starts the embedded broker on a thread of its own as the application context begins its refresh (its
 * configuration, journal load and acceptors beside the building of the rest of the context instead of in front of
 * it); {@link BrokerConfiguration}'s broker bean then takes it ({@link PendingStart#take}) and gives it the agencies'
 * and operators' keys. The few settings it is started from ({@link BrokerStart}) are bound here from the environment
 * as the bus binds them; if the bean's own binding differs, the broker started here is stopped and one is started
 * there.
 *
 * <p>It runs after every initializer and property source, before the configuration classes are parsed, and only where
 * the broker bean will be made ({@code jembatan.broker.embedded}, true by default). Settings it cannot read are left
 * to the broker bean, which reports them with every other configuration problem; it starts nothing then.
 */
public final class EarlyBrokerStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The name of the broker being started ({@link PendingStart}). */
    static final String BEAN_NAME = "jembatan.pendingEmbeddedBroker";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.addBeanFactoryPostProcessor(new Starter(context.getEnvironment()));
    }

    /** Added by hand, so it runs first in the refresh, ahead of the configuration classes' own post-processor. */
    private record Starter(Environment environment) implements BeanDefinitionRegistryPostProcessor, PriorityOrdered {

        private static final Logger log = LoggerFactory.getLogger(BrokerConfiguration.class);

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            if (!(registry instanceof DefaultListableBeanFactory beanFactory)
                    || beanFactory.containsSingleton(BEAN_NAME)) {
                return;
            }
            BrokerStart start;
            try {
                if (!environment.getProperty("jembatan.broker.embedded", Boolean.class, true)) {
                    return;
                }
                Binder binder = Binder.get(environment);
                start = BrokerStart.of(binder.bindOrCreate("jembatan.broker", BrokerSettings.class),
                        binder.bindOrCreate("jembatan", DataDirSettings.class),
                        binder.bindOrCreate("jembatan.ingest", IngestSettings.class),
                        binder.bindOrCreate("jembatan", AgenciesSettings.class));
            } catch (RuntimeException e) {
                log.debug("Broker: not started ahead of the context, its settings do not bind: {}", e.toString());
                return;
            }
            PendingStart<BrokerStart, BrokerStart.Started> pending = PendingStart.begin("Broker", log,
                    "jembatan-broker-start", start, BrokerStart::start, BrokerStart.Started::stop);
            beanFactory.registerSingleton(BEAN_NAME, pending);
            // Stopped with the context, or when its refresh fails, if the broker bean never took it.
            beanFactory.registerDisposableBean(BEAN_NAME, pending);
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
