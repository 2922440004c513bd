package id.jembatan.operations.jmx;

import id.jembatan.audit.AuditChain;
import id.jembatan.audit.AuditVerification;
import id.jembatan.ingest.IngestMetrics;
import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.AgencySuspension;
import id.jembatan.operations.CurrentOperator;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.operations.IngestSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers Jembatan's own MBeans in the platform MBean server under the domain {@code id.jembatan} (one per
 * agency, the audit chain, ingest), next to Camel's and Artemis' MBeans, and removes them on shutdown.
 * {@code jembatan.jmx.enabled=false} leaves them out (a second bus in the same JVM, as some tests start).
 */
@Component
@ConditionalOnProperty(name = "jembatan.jmx.enabled", havingValue = "true", matchIfMissing = true)
public class JembatanMBeans implements InitializingBean, DisposableBean {

    public static final String DOMAIN = "id.jembatan";

    private static final Logger log = LoggerFactory.getLogger(JembatanMBeans.class);

    private final AgencyOperations operations;
    private final DeliveryMetrics deliveries;
    private final IngestMetrics ingest;
    private final AuditChain audit;
    private final IngestSwitch inboundConsumer;
    private final AgencySuspension suspension;
    private final JmxOperator operator;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    public JembatanMBeans(AgencyOperations operations, DeliveryMetrics deliveries, IngestMetrics ingest,
                          AuditChain audit, IngestSwitch inboundConsumer, AgencySuspension suspension,
                          ObjectProvider<CurrentOperator> currentOperator) {
        this.operations = operations;
        this.deliveries = deliveries;
        this.ingest = ingest;
        this.audit = audit;
        this.inboundConsumer = inboundConsumer;
        this.suspension = suspension;
        this.operator = new JmxOperator(currentOperator.getIfAvailable(() -> Optional::empty));
    }

    @Override
    public void afterPropertiesSet() throws JMException {
        for (String agency : operations.agencies()) {
            register(new AgencyControl(agency, operations, deliveries, suspension, operator),
                    "type=Agency,name=" + agency);
        }
        register(new SuspensionsMXBean() {
            @Override
            public String[] getSuspended() {
                return suspension.agencies().stream().filter(suspension::suspended).toArray(String[]::new);
            }

            @Override
            public boolean suspend(String agency, String reason) throws Exception {
                return suspension.suspend(agency, operator.action(reason));
            }

            @Override
            public boolean reinstate(String agency, String reason) throws Exception {
                return suspension.reinstate(agency, operator.action(reason));
            }
        }, "type=Suspensions");
        register(new AuditMXBean() {
            @Override
            public long getEntries() {
                return audit.size();
            }

            @Override
            public String verify() {
                AuditVerification v = audit.verify();
                return v.valid() ? "valid: " + v.entries() + " entries, head " + v.head()
                        : "BROKEN at entry " + v.firstBrokenAt() + ": " + v.reason();
            }
        }, "type=Audit");
        register(new IngestControl(ingest, operations, inboundConsumer), "type=Ingest");
    }

    private void register(Object mbean, String keys) throws JMException {
        ObjectName name = new ObjectName(DOMAIN + ":" + keys);
        if (server.isRegistered(name)) {
            // A second bus in the same JVM (tests): the first one keeps the name.
            log.warn("MBean {} is already registered; this bus instance's is not", name);
            return;
        }
        server.registerMBean(mbean, name);
        registered.add(name);
    }

    @Override
    public void destroy() {
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                log.debug("unregistering {} failed", name, e);
            }
        }
    }
}
