package id.jembatan.config.store;

import id.jembatan.config.DataDirSettings;
import id.jembatan.config.PendingStart;
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
 * Starts the embedded PostgreSQL on a thread of its own as the application context begins its refresh, so that the
 * server's start (initdb on a first start, then the server itself, both waited for) runs beside the building of the
 * rest of the context instead of in front of it; {@link StoreConfiguration}'s store bean then takes the started
 * server ({@link PendingStart#take}).
 *
 * <p>It runs after every initializer and property source (tests' dynamic properties included), before the
 * configuration classes are parsed, and only where the store bean will be made: {@code jembatan.store.embedded} is
 * true (the default) and {@code spring.datasource.url} is not set. Settings it cannot read are left to the store
 * bean, which reports them with every other configuration problem; it starts nothing then.
 */
public final class EarlyStoreStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The name of the store being started ({@link PendingStart}). */
    static final String BEAN_NAME = "jembatan.pendingEmbeddedStore";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.addBeanFactoryPostProcessor(new Starter(context.getEnvironment()));
    }

    /** Added by hand, so it runs first in the refresh, ahead of the configuration classes' own post-processor. */
    private record Starter(Environment environment) implements BeanDefinitionRegistryPostProcessor, PriorityOrdered {

        private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            if (!(registry instanceof DefaultListableBeanFactory beanFactory)
                    || beanFactory.containsSingleton(BEAN_NAME)) {
                return;
            }
            StoreStart start;
            try {
                if (!environment.getProperty("jembatan.store.embedded", Boolean.class, true)
                        || !environment.getProperty("spring.datasource.url", "").isBlank()) {
                    return;
                }
                Binder binder = Binder.get(environment);
                start = StoreStart.of(binder.bindOrCreate("jembatan.store", StoreSettings.class),
                        binder.bindOrCreate("jembatan", DataDirSettings.class));
            } catch (RuntimeException e) {
                log.debug("Store: not started ahead of the context, its settings do not bind: {}", e.toString());
                return;
            }
            PendingStart<StoreStart, EmbeddedStore> pending = PendingStart.begin("Store", log, "jembatan-store-start",
                    start, StoreStart::start, EmbeddedStore::close);
            beanFactory.registerSingleton(BEAN_NAME, pending);
            // Stopped with the context, or when its refresh fails, if the store bean never took it.
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
