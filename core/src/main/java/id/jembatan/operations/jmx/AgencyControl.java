package id.jembatan.operations.jmx;

import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.AgencySuspension;
import id.jembatan.operations.DeliveryMetrics;

/** The Agency MBean of one agency, reading the broker and the delivery metrics. */
public class AgencyControl implements AgencyMXBean {

    private final String agency;
    private final AgencyOperations operations;
    private final DeliveryMetrics metrics;
    private final AgencySuspension suspension;
    private final JmxOperator operator;

    public AgencyControl(String agency, AgencyOperations operations, DeliveryMetrics metrics,
                         AgencySuspension suspension, JmxOperator operator) {
        this.agency = agency;
        this.operations = operations;
        this.metrics = metrics;
        this.suspension = suspension;
        this.operator = operator;
    }

    @Override
    public long getBacklog() {
        return operations.backlog(agency);
    }

    @Override
    public long getDelivered() {
        return metrics.deliveredCount(agency);
    }

    @Override
    public long getFailed() {
        return metrics.failedCount(agency);
    }

    @Override
    public long getDeadLetters() {
        return operations.deadLetters(agency);
    }

    @Override
    public String getLastError() {
        DeliveryMetrics.LastError e = metrics.lastError(agency);
        return e == null ? "" : e.code() + ": " + e.message();
    }

    @Override
    public String getLastErrorTime() {
        DeliveryMetrics.LastError e = metrics.lastError(agency);
        return e == null ? "" : e.at().toString();
    }

    @Override
    public boolean isPaused() {
        return operations.paused(agency);
    }

    @Override
    public void pause() throws Exception {
        operations.pause(agency, operator.action(""));
    }

    @Override
    public void resume() throws Exception {
        operations.resume(agency, operator.action(""));
    }

    @Override
    public int replayDeadLetters() throws Exception {
        return operations.replayDeadLetters(agency, operator.action(""));
    }

    @Override
    public int purgeDeadLetters() throws Exception {
        return operations.purgeDeadLetters(agency, operator.action(""));
    }

    @Override
    public boolean isSuspended() {
        return suspension.suspended(agency);
    }

    @Override
    public boolean suspend(String reason) throws Exception {
        return suspension.suspend(agency, operator.action(reason));
    }

    @Override
    public boolean reinstate(String reason) throws Exception {
        return suspension.reinstate(agency, operator.action(reason));
    }
}
