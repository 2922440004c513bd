package id.jembatan.routes.broker;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

import java.time.Duration;
import java.util.Objects;

/** One queue consumed in batches ({@link JmsBatchComponent}); it only consumes: send with {@code jms:}. */
public class JmsBatchEndpoint extends DefaultEndpoint {

    /** The endpoint's options, as {@link JmsBatchComponent} describes them. */
    record Options(String queue, String deadLetterQueue, int consumers, int batchSize, Duration linger,
                   Duration retryDelay, Duration maximumRetryDelay, boolean splitAfterRollback,
                   Duration reconnectDelay, Duration stopTimeout) {

        Options {
            if (maximumRetryDelay == null || maximumRetryDelay.compareTo(retryDelay) < 0) {
                maximumRetryDelay = retryDelay;
            }
            if (queue == null || queue.isBlank()) {
                throw new IllegalArgumentException("jms-batch: names no queue");
            }
            if (deadLetterQueue == null || deadLetterQueue.isBlank()) {
                throw new IllegalArgumentException("jms-batch:" + queue + " names no deadLetterQueue");
            }
            if (consumers < 1 || batchSize < 1) {
                throw new IllegalArgumentException("jms-batch:" + queue + " needs consumers and batchSize of 1 or"
                        + " more, not " + consumers + " and " + batchSize);
            }
            for (Duration d : new Duration[] {linger, retryDelay, maximumRetryDelay, reconnectDelay, stopTimeout}) {
                if (Objects.requireNonNull(d).isNegative()) {
                    throw new IllegalArgumentException("jms-batch:" + queue + " has a negative time: " + d);
                }
            }
        }

        /** The wait after the {@code failures}-th rollback in a row: the retry delay, doubling up to its maximum. */
        Duration retryDelayAfter(int failures) {
            Duration delay = retryDelay;
            for (int i = 1; i < failures && delay.compareTo(maximumRetryDelay) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return delay.compareTo(maximumRetryDelay) > 0 ? maximumRetryDelay : delay;
        }
    }

    private final Options options;

    JmsBatchEndpoint(String uri, JmsBatchComponent component, Options options) {
        super(uri, component);
        this.options = options;
    }

    @Override
    public JmsBatchComponent getComponent() {
        return (JmsBatchComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " only consumes; send with jms:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        JmsBatchConsumer consumer = new JmsBatchConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    Options options() {
        return options;
    }
}
