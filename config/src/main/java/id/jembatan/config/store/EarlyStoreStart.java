package id.jembatan.config.store;

import id.jembatan.config.DataDirSettings;
import id.jembatan.config.PendingStart;
import id.jembatan.config.StartBesideContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
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
public final class EarlyStoreStart extends StartBesideContext<StoreStart, EmbeddedStore> {

    /** The name of the store being started ({@link PendingStart}). */
    static final String BEAN_NAME = "jembatan.pendingEmbeddedStore";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    public EarlyStoreStart() {
        super("Store", BEAN_NAME, "jembatan-store-start", log, StoreStart::start, EmbeddedStore::close);
    }

    @Override
    protected StoreStart inputs(Environment environment) {
        if (!environment.getProperty("jembatan.store.embedded", Boolean.class, true)
                || !environment.getProperty("spring.datasource.url", "").isBlank()) {
            return null;
        }
        Binder binder = Binder.get(environment);
        return StoreStart.of(binder.bindOrCreate("jembatan.store", StoreSettings.class),
                binder.bindOrCreate("jembatan", DataDirSettings.class));
    }
}
