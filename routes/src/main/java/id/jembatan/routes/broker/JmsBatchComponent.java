package id.jembatan.routes.broker;

import id.jembatan.bus.BusConnections;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.TimeUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code jms-batch:} component: a queue of the bus's broker consumed in batches, many messages per broker
 * transaction, where Camel's own {@code jms:} takes one message per transaction (Camel 4 has no batch consumer; its
 * {@code sjms-batch} is gone). The flows that need it start from it like any route:
 * <pre>
 * from("jms-batch:civilregistry.events.in?deadLetterQueue=dlq.civil-registry&amp;consumers=2&amp;batchSize=100")
 * </pre>
 * Options: {@code deadLetterQueue} (required: where the route's refusals go), {@code consumers} (parallel consumers,
 * each with its own connection and transaction; default 1), {@code batchSize} (most messages per transaction;
 * default 100), {@code linger} (how long to wait for more once the first message is there; default 0: take what is
 * waiting), {@code retryDelay} (the wait after a batch rolled back; default 0: the broker's redelivery delay),
 * {@code maximumRetryDelay} (the retry delay doubles after each rollback in a row up to this; default: it does not),
 * {@code splitAfterRollback} (take a rolled-back batch's messages one per transaction; default false),
 * {@code reconnectDelay} (default 2s) and {@code stopTimeout} (how long a stop waits for the batches in hand;
 * default 30s); times in milliseconds or as {@code 2s}, {@code 500ms}. What one exchange sees and how it ends:
 * {@link JmsBatch}, {@link JmsBatchConsumer}.
 */
@Component(JmsBatchComponent.SCHEME)
public class JmsBatchComponent extends DefaultComponent {

    public static final String SCHEME = "jms-batch";

    private final ConnectionFactory connectionFactory;
    private final DeadLetters deadLetters;

    /**
     * @param connectionFactory the broker's unpooled factory: each consumer holds its own connection and session for
     *                          as long as it runs (a pooled, cached consumer would keep message groups it never reads)
     */
    public JmsBatchComponent(@Qualifier(BusConnections.DEDICATED) ConnectionFactory connectionFactory,
                             DeadLetters deadLetters) {
        this.connectionFactory = connectionFactory;
        this.deadLetters = deadLetters;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        JmsBatchEndpoint.Options options = new JmsBatchEndpoint.Options(remaining,
                getAndRemoveParameter(parameters, "deadLetterQueue", String.class),
                getAndRemoveParameter(parameters, "consumers", Integer.class, 1),
                getAndRemoveParameter(parameters, "batchSize", Integer.class, 100),
                duration(parameters, "linger", "0"),
                duration(parameters, "retryDelay", "0"),
                parameters.containsKey("maximumRetryDelay") ? duration(parameters, "maximumRetryDelay", "0") : null,
                getAndRemoveParameter(parameters, "splitAfterRollback", Boolean.class, false),
                duration(parameters, "reconnectDelay", "2s"),
                duration(parameters, "stopTimeout", "30s"));
        return new JmsBatchEndpoint(uri, this, options);
    }

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    DeadLetters deadLetters() {
        return deadLetters;
    }

    private Duration duration(Map<String, Object> parameters, String name, String otherwise) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(getAndRemoveParameter(parameters, name, String.class,
                otherwise)));
    }
}
