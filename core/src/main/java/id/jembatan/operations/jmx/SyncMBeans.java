package id.jembatan.operations.jmx;

import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.CurrentOperator;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.SyncRequest;
import id.jembatan.sync.SyncJob;
import id.jembatan.sync.SyncJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sync jobs' MBeans: {@code id.jembatan:type=Syncs} to start one, and one
 * {@code id.jembatan:type=Sync,agency=<agency>,name=<id>} per job running when the bus started or started since;
 * removed on shutdown. {@code jembatan.jmx.enabled=false} leaves them out, as the other MBeans of {@link JembatanMBeans}.
 */
@Component
@ConditionalOnProperty(name = "jembatan.jmx.enabled", havingValue = "true", matchIfMissing = true)
public class SyncMBeans implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SyncMBeans.class);

    private final SyncJobs jobs;
    private final AgencyOperations operations;
    private final Clock clock;
    private final JmxOperator operator;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new CopyOnWriteArrayList<>();

    public SyncMBeans(SyncJobs jobs, AgencyOperations operations, Clock clock,
                      ObjectProvider<CurrentOperator> currentOperator) {
        this.operator = new JmxOperator(currentOperator.getIfAvailable(() -> Optional::empty));
        this.jobs = jobs;
        this.operations = operations;
        this.clock = clock;
    }

    @Override
    public void afterPropertiesSet() {
        register(new SyncsMXBean() {
            @Override
            public String startSync(String agency, int ratePerSecond) {
                return start(agency, SyncRequest.Scope.everyone(), ratePerSecond);
            }

            @Override
            public String startRegionSync(String agency, String regionPrefix, int ratePerSecond) {
                if (regionPrefix == null || !regionPrefix.matches("[0-9]{2,10}")) {
                    throw new IllegalArgumentException("a region prefix is 2 to 10 digits of a region code");
                }
                return start(agency, new SyncRequest.Scope(null, regionPrefix, null, null), ratePerSecond);
            }
        }, "type=Syncs");
        jobs.running().forEach(this::register);
    }

    /** A job started (by an operator, JMX or sync-on-start): its MBean appears once the job is committed. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void onStarted(SyncJobs.Started started) {
        register(started.job());
    }

    private String start(String agency, SyncRequest.Scope scope, int ratePerSecond) {
        try {
            return jobs.start(agency, new SyncRequest(scope, ratePerSecond > 0 ? ratePerSecond : null),
                    operator.action("")).id().toString();
        } catch (JembatanException e) {
            // JConsole shows the message of a standard exception; the bus's own would not deserialise there.
            throw new IllegalArgumentException(e.code() == ErrorCode.RESOURCE_NOT_FOUND
                    ? "no delivery to an agency '" + agency + "'" : e.getMessage());
        }
    }

    private void register(SyncJob job) {
        UUID id = job.id();
        String agency = job.agency();
        register(new SyncMXBean() {
            private SyncJob now() {
                SyncJob current = jobs.find(id).orElseThrow();
                return operations.paused(agency) ? current.whilePaused() : current;
            }

            @Override
            public String getId() {
                return id.toString();
            }

            @Override
            public String getAgency() {
                return agency;
            }

            @Override
            public String getState() {
                return now().state().name();
            }

            @Override
            public long getTotal() {
                return now().total();
            }

            @Override
            public long getSent() {
                return now().sent();
            }

            @Override
            public long getDelivered() {
                return now().delivered();
            }

            @Override
            public long getFailed() {
                return now().failed();
            }

            @Override
            public int getRatePerSecond() {
                Integer rate = now().ratePerSecond();
                return rate == null ? 0 : rate;
            }

            @Override
            public String getStartedAt() {
                return now().startedAt().toInstant().toString();
            }

            @Override
            public String getEta() {
                Instant eta = now().eta(clock.instant());
                return eta == null ? "" : eta.toString();
            }

            @Override
            public void cancel() {
                jobs.cancel(agency, id, operator.action(""));
            }
        }, "type=Sync,agency=" + agency + ",name=" + id);
    }

    private void register(Object mbean, String keys) {
        try {
            ObjectName name = new ObjectName(JembatanMBeans.DOMAIN + ":" + keys);
            if (server.isRegistered(name)) {
                log.warn("MBean {} is already registered; this bus instance's is not", name);
                return;
            }
            server.registerMBean(mbean, name);
            registered.add(name);
        } catch (JMException e) {
            log.warn("The MBean {} could not be registered: {}", keys, e.toString());
        }
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
