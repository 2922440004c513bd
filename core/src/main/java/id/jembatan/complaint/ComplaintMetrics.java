package id.jembatan.complaint;

import id.jembatan.schema.model.ComplaintStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Complaints by responsible agency and status, for operators: the gauge {@code jembatan.complaints} (tags
 * {@code agency}, {@code status}) and the MBean {@code id.jembatan:type=Complaints} ({@link ComplaintsMXBean}). Read from the database at start,
 * after every change this bus instance makes and at every escalation check (which also sees other instances'
 * changes).
 */
@Component
public class ComplaintMetrics implements InitializingBean, DisposableBean {

    public static final String OBJECT_NAME = "id.jembatan:type=Complaints";

    private static final Logger log = LoggerFactory.getLogger(ComplaintMetrics.class);

    private final ComplaintStore store;
    private final MultiGauge gauge;
    private final boolean jmx;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private volatile Map<String, Map<ComplaintStatus, Long>> counts = Map.of();
    private ObjectName registered;

    /**
     * @param jmx whether to register the MBean ({@code jembatan.jmx.enabled}, as the bus's other MBeans)
     */
    public ComplaintMetrics(ComplaintStore store, MeterRegistry registry,
                            @Value("${jembatan.jmx.enabled:true}") boolean jmx) {
        this.store = store;
        this.jmx = jmx;
        this.gauge = MultiGauge.builder("jembatan.complaints")
                .description("Citizens' complaints by responsible agency and status")
                .register(registry);
    }

    @Override
    public void afterPropertiesSet() throws JMException {
        refresh();
        if (!jmx) {
            return;
        }
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            // A second bus in the same JVM (tests): the first one keeps the name, as JembatanMBeans does.
            log.warn("MBean {} is already registered; this bus instance's is not", name);
            return;
        }
        // An object of its own, not this bean: Spring's MBean exporter registers beans that are MXBeans itself.
        server.registerMBean(new ComplaintsMXBean() {
            @Override
            public Map<String, Long> getCountsByAgencyAndStatus() {
                return ComplaintMetrics.this.getCountsByAgencyAndStatus();
            }

            @Override
            public long getOpen() {
                return ComplaintMetrics.this.getOpen();
            }
        }, name);
        registered = name;
    }

    @Override
    public void destroy() throws JMException {
        if (registered != null) {
            server.unregisterMBean(registered);
        }
    }

    /** Reads the counts again. */
    public void refresh() {
        Map<String, Map<ComplaintStatus, Long>> now = store.counts();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        now.forEach((agency, byStatus) -> byStatus.forEach((status, count) ->
                rows.add(MultiGauge.Row.of(Tags.of("agency", agency, "status", status.name()), count))));
        gauge.register(rows, true);
        counts = now;
    }

    /** {@code agency/STATUS} to the number of complaints, e.g. {@code bansos/SUBMITTED=3}. */
    public Map<String, Long> getCountsByAgencyAndStatus() {
        Map<String, Long> flat = new TreeMap<>();
        counts.forEach((agency, byStatus) -> byStatus.forEach((status, count) ->
                flat.put(agency + "/" + status.name(), count)));
        return flat;
    }

    /** Complaints not yet resolved or rejected. */
    public long getOpen() {
        return counts.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> !e.getKey().isFinal()).mapToLong(Map.Entry::getValue).sum();
    }
}
