package id.jembatan.config.store;

import com.zaxxer.hikari.HikariDataSource;
import id.jembatan.config.DataDirSettings;
import id.jembatan.config.PendingStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.Environment;


/**
 * The database: by default the embedded PostgreSQL the bus runs under {@code jembatan.data-dir} ({@link EmbeddedStore})
 * and a connection pool on it; with {@code jembatan.store.embedded=false}, Spring Boot's own data source from
 * {@code spring.datasource.*}. Either way it is PostgreSQL, with one set of migrations and one SQL dialect.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jembatan.store.embedded", havingValue = "true", matchIfMissing = true)
public class StoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    /**
     * The server {@link EarlyStoreStart} began starting when the context's refresh began (its start is waited for
     * here, its failure thrown here), or, without it, one started here.
     */
    @Bean(destroyMethod = "close")
    EmbeddedStore embeddedStore(StoreSettings settings, DataDirSettings data, Environment environment,
                                @Qualifier(EarlyStoreStart.BEAN_NAME)
                                ObjectProvider<PendingStart<StoreStart, EmbeddedStore>> pending) throws Exception {
        String url = environment.getProperty("spring.datasource.url");
        if (url != null && !url.isBlank()) {
            throw new IllegalStateException("spring.datasource.url is set while jembatan.store.embedded is true: "
                    + "set jembatan.store.embedded=false to use that database, or remove spring.datasource.url to "
                    + "use the embedded store");
        }
        StoreStart start = StoreStart.of(settings, data);
        PendingStart<StoreStart, EmbeddedStore> started = pending.getIfAvailable();
        return started != null ? started.take(start) : start.start();
    }

    /**
     * The pool on the embedded server; {@code spring.datasource.hikari.*} tunes it as it would Boot's own. Closed
     * before the server stops (it depends on it).
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedStore store) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("jembatan-store");
        pool.setJdbcUrl(store.jdbcUrl());
        pool.setUsername(store.user());
        pool.setPassword(store.password());
        return pool;
    }

    /**
     * A training run for a class-data-sharing archive made with Spring's own switch
     * ({@code -Dspring.context.exit=onRefresh}; the launcher uses the bus's {@code jembatan.training-run} instead,
     * {@link id.jembatan.config.TrainingRun}, which stops everything in order) ends the JVM with {@code Runtime.halt}
     * once every bean is made, before any is stopped: the pool and the store are stopped here first, so that such a
     * run leaves no PostgreSQL server behind.
     */
    @Bean
    SmartInitializingSingleton stopStoreBeforeExitOnRefresh(ObjectProvider<HikariDataSource> pool,
                                                            EmbeddedStore store) {
        return () -> {
            if (DefaultLifecycleProcessor.ON_REFRESH_VALUE.equalsIgnoreCase(
                    SpringProperties.getProperty(DefaultLifecycleProcessor.EXIT_PROPERTY_NAME))) {
                log.info("Store: stopped before the JVM exits on refresh ({}={}, a training run)",
                        DefaultLifecycleProcessor.EXIT_PROPERTY_NAME, DefaultLifecycleProcessor.ON_REFRESH_VALUE);
                pool.ifAvailable(HikariDataSource::close);
                store.close();
            }
        };
    }

    /** Before the migrations: the data of a bus that ran on the former H2 default store, if any ({@link H2StoreImport}). */
    @Bean
    FlywayMigrationStrategy importFormerH2StoreThenMigrate(DataDirSettings data) {
        return flyway -> {
            H2StoreImport.importIfPresent(data.dataDir(), flyway);
            flyway.migrate();
        };
    }
}
