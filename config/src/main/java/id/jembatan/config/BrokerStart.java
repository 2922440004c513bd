package id.jembatan.config;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.connector.jms.JmsConnectorFactory;
import id.jembatan.ingest.IngestSettings;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * What the embedded broker is started from: its settings, its folder, the inbound queue and its owner agency, and the
 * agencies of the {@code jms} connector (each reads a queue of its own); and its start. Who may sign in is given to
 * the started broker later ({@link DeferredBrokerSecurity#admit}), once the agencies' and operators' keys are known:
 * until then only the bus itself, in-VM, is let in. Equal inputs start an equal broker, which is what lets
 * {@link EarlyBrokerStart} start it before the settings' beans exist.
 *
 * @param jmsAgencies the ids of the agencies whose connector is {@code jms}, in the configuration's order
 */
record BrokerStart(BrokerSettings settings, Path dir, String inboundQueue, String inboundAgency,
                   List<String> jmsAgencies) {

    private static final Logger log = LoggerFactory.getLogger(BrokerConfiguration.class);

    BrokerStart {
        jmsAgencies = List.copyOf(jmsAgencies);
    }

    static BrokerStart of(BrokerSettings settings, DataDirSettings data, IngestSettings ingest,
                          AgenciesSettings agencies) {
        return new BrokerStart(settings, data.dataDir().resolve("broker").toAbsolutePath().normalize(),
                ingest.queue(), ingest.queueAgency(), agencies.agencies().entrySet().stream()
                .filter(agency -> JmsConnectorFactory.TYPE.equals(agency.getValue().connector()))
                .map(java.util.Map.Entry::getKey).toList());
    }

    /** A started broker and its sign-in, which refuses every client but the bus until it is given the keys. */
    record Started(EmbeddedActiveMQ broker, DeferredBrokerSecurity security) {

        /** Stops the broker (a broker started ahead and never taken). */
        void stop() {
            try {
                broker.stop();
            } catch (Exception e) {
                log.warn("Embedded Artemis '{}' did not stop cleanly: {}", broker.getConfiguration().getName(),
                        e.toString());
            }
        }
    }

    /** Starts the broker; a broker that does not become active (most often: its port is taken) is stopped, with why. */
    Started start() throws Exception {
        FileConfiguration config = BrokerConfiguration.fromBrokerXml(settings.name(), dir);
        config.addAcceptorConfiguration("in-vm", "vm://" + settings.inVmId());
        if (settings.port() > 0) {
            config.addAcceptorConfiguration("artemis", "tcp://" + settings.host() + ":" + settings.port()
                    + "?protocols=CORE,AMQP");
        }
        if (settings.tls().port() >= 0) {
            // Agencies with a client certificate sign in here without a user (BrokerSecurity).
            config.addAcceptorConfiguration(BrokerConfiguration.TLS_ACCEPTOR, "tcp://" + settings.host() + ":"
                    + settings.tls().port() + "?protocols=CORE,AMQP;" + settings.tls().acceptorParameters());
        }
        config.setJMXManagementEnabled(true);
        // The owner agency sends to the inbound queue; agencies of the jms connector read their own queue, and only
        // that queue (BrokerSecurity); broker.xml gives everything else to the bus and operators alone.
        config.putSecurityRoles(inboundQueue, BrokerSecurity.inboundQueueRoles(inboundAgency));
        jmsAgencies.forEach(id -> config.putSecurityRoles(JmsConnectorFactory.queue(id),
                BrokerSecurity.agencyQueueRoles(id)));

        // The bus signs in in-VM without a user: a cached sign-in must never serve a TCP client.
        config.setAuthenticationCacheSize(0);

        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        DeferredBrokerSecurity security = new DeferredBrokerSecurity();
        broker.setSecurityManager(security);
        broker.setMbeanServer(ManagementFactory.getPlatformMBeanServer());
        log.info("Embedded Artemis '{}' with its journal in {}{}", settings.name(), dir,
                (settings.port() > 0 ? ", CORE+AMQP on " + settings.host() + ":" + settings.port() : "")
                        + (settings.tls().port() >= 0 ? ", CORE+AMQP over TLS on " + settings.host() + ":"
                        + settings.tls().port() : ""));
        broker.start();
        if (!broker.getActiveMQServer().isActive()) {
            // Artemis logs why (AMQ224000) and goes on without a working broker; most often its port is taken.
            broker.stop();
            throw ListeningPorts.explain(new IllegalStateException("the embedded broker did not start: see the"
                    + " broker's error above"), "jembatan.broker.port", settings.host(), settings.port(),
                    "no TCP acceptor");
        }
        return new Started(broker, security);
    }
}
