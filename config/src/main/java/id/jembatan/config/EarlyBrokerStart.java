package id.jembatan.config;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.ingest.IngestSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
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
public final class EarlyBrokerStart extends StartBesideContext<BrokerStart, BrokerStart.Started> {

    /** The name of the broker being started ({@link PendingStart}). */
    static final String BEAN_NAME = "jembatan.pendingEmbeddedBroker";

    private static final Logger log = LoggerFactory.getLogger(BrokerConfiguration.class);

    public EarlyBrokerStart() {
        super("Broker", BEAN_NAME, "jembatan-broker-start", log, BrokerStart::start, BrokerStart.Started::stop);
    }

    @Override
    protected BrokerStart inputs(Environment environment) {
        if (!environment.getProperty("jembatan.broker.embedded", Boolean.class, true)) {
            return null;
        }
        Binder binder = Binder.get(environment);
        return BrokerStart.of(binder.bindOrCreate("jembatan.broker", BrokerSettings.class),
                binder.bindOrCreate("jembatan", DataDirSettings.class),
                binder.bindOrCreate("jembatan.ingest", IngestSettings.class),
                binder.bindOrCreate("jembatan", AgenciesSettings.class));
    }
}
