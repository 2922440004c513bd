package id.jembatan.it;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import id.jembatan.sandbox.server.LoopbackServletContainer;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.dbcp2.BasicDataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The FHIR server health agencies run, HAPI FHIR's JPA server, with H2 in memory as its own database: the JPA
 * configuration of hapi-fhir-jpaserver-starter (R4, batch jobs, subscription channels) in a plain Spring context of
 * its own (not the bus's Spring Boot context), served on 127.0.0.1 as the sandbox is. Its semantics are HAPI's
 * defaults, which is the point: search results reused for 60 s, If-Match honoured only on an update by id (409 when
 * outdated), 412 when a conditional create or update matches several resources.
 *
 * <p>What it leaves out changes none of that: full-text search (Hibernate Search), narratives, scheduled
 * maintenance (stale-search cleanup, reindexing), which would only cost start-up time and CPU in a test.
 */
final class HapiJpaServer implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final int instance = INSTANCES.incrementAndGet();
    private final AnnotationConfigApplicationContext spring;
    private LoopbackServletContainer container;

    /** A new server with an empty database, not listening yet: HAPI's JPA context starts here (seconds). */
    HapiJpaServer() {
        spring = new AnnotationConfigApplicationContext();
        spring.registerBean("dataSource", BasicDataSource.class, () -> dataSource("hapi-jpa-" + instance),
                definition -> definition.setDestroyMethodName("close"));
        spring.register(JpaServerConfiguration.class);
        spring.refresh();
    }

    /**
     * Serves at {@code http://127.0.0.1:<port>/fhir}, e.g. on the port an agency's URL names while its other server
     * is stopped; does nothing if it listens already.
     */
    synchronized void listen(int port) {
        if (container != null) {
            return;
        }
        LoopbackServletContainer started = new LoopbackServletContainer("hapi-jpa-server-" + instance, port, "/fhir",
                () -> restfulServer(spring));
        started.start();
        container = started;
    }

    /** Stops listening and releases the port; the database stays for the next {@link #listen(int)}. */
    synchronized void stopListening() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    /** {@code http://127.0.0.1:<port>/fhir} while it listens. */
    synchronized String baseUrl() {
        if (container == null) {
            throw new IllegalStateException("the HAPI FHIR JPA server does not listen");
        }
        return container.baseUrl();
    }

    @Override
    public void close() {
        try {
            stopListening();
        } finally {
            spring.close();
        }
    }

    /** HAPI's REST layer over the JPA resource providers, as the starter registers it. */
    private static RestfulServer restfulServer(AnnotationConfigApplicationContext spring) {
        RestfulServer server = new RestfulServer(spring.getBean(FhirContext.class));
        server.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
        server.registerProvider(spring.getBean(JpaSystemProvider.class));
        server.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        return server;
    }

    /** H2 in memory, dropped when the server closes its connections: nothing outlives the test. */
    private static BasicDataSource dataSource(String databaseName) {
        BasicDataSource dataSource = new BasicDataSource();
        dataSource.setDriver(new org.h2.Driver());
        dataSource.setUrl("jdbc:h2:mem:" + databaseName);
        dataSource.setUsername("sa");
        dataSource.setMaxTotal(10);
        return dataSource;
    }

    /**
     * HAPI's JPA configuration for R4 and the beans an application supplies: JPA and storage settings. Not a
     * {@code @Configuration}: the bus's Spring Boot application scans {@code id.jembatan} and must not find it.
     */
    @Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
            SubscriptionChannelConfig.class, ThreadPoolFactoryConfig.class})
    static class JpaServerConfiguration {

        /** HAPI's defaults (among them the 60 s reuse of search results), with its scheduled maintenance off. */
        @Bean
        JpaStorageSettings storageSettings() {
            JpaStorageSettings settings = new JpaStorageSettings();
            settings.setSchedulingDisabled(true);
            return settings;
        }

        @Bean
        PartitionSettings partitionSettings() {
            return new PartitionSettings();
        }

        @Bean
        @Primary
        LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beans,
                                                                    FhirContext fhirContext,
                                                                    JpaStorageSettings settings,
                                                                    DataSource dataSource) {
            LocalContainerEntityManagerFactoryBean factory =
                    HapiEntityManagerFactoryUtil.newEntityManagerFactory(beans, fhirContext, settings);
            factory.setPersistenceUnitName("HAPI_PU");
            factory.setDataSource(dataSource);
            Properties jpa = new Properties();
            jpa.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
            jpa.put("hibernate.hbm2ddl.auto", "create");
            jpa.put("hibernate.search.enabled", "false");
            factory.setJpaProperties(jpa);
            return factory;
        }

        @Bean
        @Primary
        JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
            return new JpaTransactionManager(entityManagerFactory);
        }
    }
}
