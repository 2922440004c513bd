package id.jembatan.complaint;

import id.jembatan.schema.model.ComplaintStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Complaints by responsible agency and status, for operators: the gauge {@code jembatan.complaints} (tags
 * {@code agency}, {@code status}) and the MBean {@code id.jembatan:type=Complaints}. Read from the database at start,
 * after every change this bus instance makes and at every escalation check (which also sees other instances'
 * changes).
 */
@Component
@ManagedResource(objectName = "id.jembatan:type=Complaints",
        description = "Citizens' complaints by responsible agency and status")
public class ComplaintMetrics implements InitializingBean {

    private final ComplaintStore store;
    private final MultiGauge gauge;
    private volatile Map<String, Map<ComplaintStatus, Long>> counts = Map.of();

    public ComplaintMetrics(ComplaintStore store, MeterRegistry registry) {
        this.store = store;
        this.gauge = MultiGauge.builder("jembatan.complaints")
                .description("Citizens' complaints by responsible agency and status")
                .register(registry);
    }

    @Override
    public void afterPropertiesSet() {
        refresh();
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
    @ManagedAttribute(description = "Complaints by responsible agency and status (agency/STATUS)")
    public Map<String, Long> getCountsByAgencyAndStatus() {
        Map<String, Long> flat = new TreeMap<>();
        counts.forEach((agency, byStatus) -> byStatus.forEach((status, count) ->
                flat.put(agency + "/" + status.name(), count)));
        return flat;
    }

    /** Complaints not yet resolved or rejected. */
    @ManagedAttribute(description = "Complaints not yet resolved or rejected")
    public long getOpen() {
        return counts.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> !e.getKey().isFinal()).mapToLong(Map.Entry::getValue).sum();
    }
}
