package id.jembatan.config.store;

import com.zaxxer.hikari.HikariDataSource;
import id.jembatan.config.DataDirSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.io.IOException;

/**
 * The database: by default the embedded PostgreSQL the bus runs under {@code jembatan.data-dir} ({@link EmbeddedStore})
 * and a connection pool on it; with {@code jembatan.store.embedded=false}, Spring Boot's own data source from
 * {@code spring.datasource.*}. Either way it is PostgreSQL, with one set of migrations and one SQL dialect.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jembatan.store.embedded", havingValue = "true", matchIfMissing = true)
public class StoreConfiguration {

    /**
     * The server {@link EarlyStoreStart} began starting when the context's refresh began (its start is waited for
     * here, its failure thrown here), or, without it, one started here.
     */
    @Bean(destroyMethod = "close")
    EmbeddedStore embeddedStore(StoreSettings settings, DataDirSettings data, Environment environment,
                                ObjectProvider<PendingStore> pending) throws IOException {
        String url = environment.getProperty("spring.datasource.url");
        if (url != null && !url.isBlank()) {
            throw new IllegalStateException("spring.datasource.url is set while jembatan.store.embedded is true: "
                    + "set jembatan.store.embedded=false to use that database, or remove spring.datasource.url to "
                    + "use the embedded store");
        }
        StoreStart start = StoreStart.of(settings, data);
        PendingStore started = pending.getIfAvailable();
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

    /** Before the migrations: the data of a bus that ran on the former H2 default store, if any ({@link H2StoreImport}). */
    @Bean
    FlywayMigrationStrategy importFormerH2StoreThenMigrate(DataDirSettings data) {
        return flyway -> {
            H2StoreImport.importIfPresent(data.dataDir(), flyway);
            flyway.migrate();
        };
    }
}
