package id.jembatan.operations.jmx;

import id.jembatan.ingest.IngestMetrics;
import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.IngestSwitch;

import java.util.Map;

/** The Ingest MBean: the ingest counters, the inbound queue read from the broker, and its consumer. */
public class IngestControl implements IngestMXBean {

    private final IngestMetrics metrics;
    private final AgencyOperations broker;
    private final IngestSwitch consumer;

    public IngestControl(IngestMetrics metrics, AgencyOperations broker, IngestSwitch consumer) {
        this.metrics = metrics;
        this.broker = broker;
        this.consumer = consumer;
    }

    @Override
    public long getAccepted() {
        return metrics.acceptedCount();
    }

    @Override
    public long getDuplicates() {
        return metrics.duplicateCount();
    }

    @Override
    public Map<String, Long> getRejectedByCode() {
        return metrics.rejectedCounts();
    }

    @Override
    public long getBacklog() {
        return broker.inboundBacklog();
    }

    @Override
    public long getDeadLetters() {
        return broker.inboundDeadLetters();
    }

    @Override
    public boolean isPaused() {
        return consumer.isPaused();
    }

    @Override
    public void pause() throws Exception {
        consumer.pause();
    }

    @Override
    public void resume() throws Exception {
        consumer.resume();
    }
}
