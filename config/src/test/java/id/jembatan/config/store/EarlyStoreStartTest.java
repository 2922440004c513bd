package id.jembatan.config.store;

import com.zaxxer.hikari.HikariDataSource;
import id.jembatan.config.DataDirSettings;
import id.jembatan.config.PendingStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.SpringProperties;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded store is started on a thread of its own when the context's refresh begins ({@link EarlyStoreStart}),
 * and the store bean takes that server; a server nobody took is stopped; without the embedded store nothing starts.
 */
class EarlyStoreStartTest {

    @TempDir
    Path dataDir;

    /**
     * A context with the embedded store on a fresh data folder. Result: the store bean is the server started ahead
     * of the context, its pool answers, and closing the context stops the server.
     */
    @Test
    void theStoreBeanTakesTheServerStartedAheadOfTheContext() {
        long postmaster;
        try (ConfigurableApplicationContext context = run(StoreOnly.class, "jembatan.data-dir=" + dataDir)) {
            PendingStart<?, ?> pending = (PendingStart<?, ?>) context.getBean(EarlyStoreStart.BEAN_NAME);
            EmbeddedStore store = context.getBean(EmbeddedStore.class);
            assertThat(pending.started().getNow(null)).isSameAs(store);
            assertThat(JdbcClient.create(context.getBean(HikariDataSource.class)).sql("SELECT 1")
                    .query(Integer.class).single()).isEqualTo(1);
            postmaster = postmasterPid();
        }
        awaitStopped(postmaster);
    }

    /**
     * The refresh fails on a bean made before the store's. Result: the failure is the application's, and the server
     * started ahead of it is stopped, not left running.
     */
    @Test
    void aServerNobodyTookIsStoppedWhenTheRefreshFails() {
        assertThatThrownBy(() -> run(FailingFirst.class, "jembatan.data-dir=" + dataDir))
                .isInstanceOf(BeanCreationException.class)
                .hasStackTraceContaining("a bean made before the store fails");
        // The early start ran (the cluster exists) and its server is gone.
        assertThat(dataDir.resolve("db/postgres/PG_VERSION")).exists();
        assertThat(dataDir.resolve("db/postgres/postmaster.pid")).doesNotExist();
    }

    /** {@code jembatan.store.embedded=false}. Result: nothing is started ahead of the context, no folder is made. */
    @Test
    void nothingStartsWithoutTheEmbeddedStore() {
        try (ConfigurableApplicationContext context = run(NoStore.class, "jembatan.data-dir=" + dataDir,
                "jembatan.store.embedded=false")) {
            assertThat(context.containsBean(EarlyStoreStart.BEAN_NAME)).isFalse();
        }
        assertThat(dataDir.resolve("db")).doesNotExist();
    }

    /**
     * The early start fails (the data folder's {@code db} is a file). Result: the store bean throws that failure,
     * as a start of its own would have.
     */
    @Test
    void aFailedEarlyStartIsThrownByTheStoreBean() throws IOException {
        Files.writeString(dataDir.resolve("db"), "not a folder");
        StoreStart start = new StoreStart(dataDir, 0, Map.of(), Duration.ofSeconds(60));
        PendingStart<StoreStart, EmbeddedStore> pending = begin(start);
        assertThatThrownBy(() -> pending.take(start)).isInstanceOf(IOException.class);
        pending.destroy();
    }

    /**
     * The settings the store bean is made with differ from those read ahead of it. Result: the early server is
     * stopped and the bean gets one started with its own settings.
     */
    @Test
    void otherSettingsStopTheEarlyServerAndStartAnother() throws Exception {
        StoreStart early = new StoreStart(dataDir, 0, Map.of(), Duration.ofSeconds(60));
        PendingStart<StoreStart, EmbeddedStore> pending = begin(early);
        pending.started().join();
        long earlyPostmaster = postmasterPid();
        StoreStart wanted = new StoreStart(dataDir, 0, Map.of("work_mem", "8MB"), Duration.ofSeconds(60));
        try (EmbeddedStore store = pending.take(wanted); HikariDataSource pool = pool(store)) {
            awaitStopped(earlyPostmaster);
            assertThat(postmasterPid()).isNotEqualTo(earlyPostmaster);
            assertThat(JdbcClient.create(pool).sql("SHOW work_mem").query(String.class).single()).isEqualTo("8MB");
        }
        pending.destroy();
    }

    /**
     * A training run for a class-data-sharing archive ({@code spring.context.exit=onRefresh}): Spring halts the JVM
     * after the singletons are made, stopping nothing. Result: once every singleton is made, the pool and the
     * store's server are stopped; without the property, nothing is stopped.
     */
    @Test
    void aTrainingRunStopsTheStoreBeforeTheJvmHalts() throws IOException {
        new DefaultLifecycleProcessor(); // initialised without the property: no context of this JVM halts it
        try (EmbeddedStore store = new StoreStart(dataDir, 0, Map.of(), Duration.ofSeconds(60)).start();
             HikariDataSource pool = pool(store)) {
            long postmaster = postmasterPid();
            SmartInitializingSingleton stop = new StoreConfiguration()
                    .stopStoreBeforeExitOnRefresh(new StaticProvider(pool), store);

            stop.afterSingletonsInstantiated();
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);
            assertThat(pool.isClosed()).isFalse();

            SpringProperties.setProperty(DefaultLifecycleProcessor.EXIT_PROPERTY_NAME,
                    DefaultLifecycleProcessor.ON_REFRESH_VALUE);
            try {
                stop.afterSingletonsInstantiated();
            } finally {
                SpringProperties.setProperty(DefaultLifecycleProcessor.EXIT_PROPERTY_NAME, null);
            }
            assertThat(pool.isClosed()).isTrue();
            awaitStopped(postmaster);
        }
    }

    /** What {@link EarlyStoreStart} begins. */
    private static PendingStart<StoreStart, EmbeddedStore> begin(StoreStart start) {
        return PendingStart.begin("Store", LoggerFactory.getLogger(EmbeddedStore.class), "jembatan-store-start", start,
                StoreStart::start, EmbeddedStore::close);
    }

    /** The pool, as the context would hand it over. */
    private record StaticProvider(HikariDataSource pool) implements ObjectProvider<HikariDataSource> {
        @Override
        public HikariDataSource getObject(Object... args) {
            return pool;
        }

        @Override
        public HikariDataSource getIfAvailable() {
            return pool;
        }

        @Override
        public HikariDataSource getIfUnique() {
            return pool;
        }

        @Override
        public HikariDataSource getObject() {
            return pool;
        }
    }

    /** On the command line: above the module's application.yaml, which names {@code ./data}. */
    private static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
        return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .run(java.util.Arrays.stream(properties).map(p -> "--" + p).toArray(String[]::new));
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("db/postgres/postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new AssertionError("no postmaster.pid in " + dataDir, e);
        }
    }

    private static void awaitStopped(long pid) {
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    private static HikariDataSource pool(EmbeddedStore store) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(store.jdbcUrl());
        pool.setUsername(store.user());
        pool.setPassword(store.password());
        pool.setMaximumPoolSize(1);
        return pool;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({StoreSettings.class, DataDirSettings.class})
    @Import(StoreConfiguration.class)
    static class StoreOnly {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({StoreSettings.class, DataDirSettings.class})
    static class NoStore {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({StoreSettings.class, DataDirSettings.class})
    @Import({FailingFirst.Failing.class, StoreConfiguration.class})
    static class FailingFirst {

        @Configuration(proxyBeanMethods = false)
        static class Failing {
            @Bean
            Object failing() {
                throw new IllegalStateException("a bean made before the store fails");
            }
        }
    }
}
