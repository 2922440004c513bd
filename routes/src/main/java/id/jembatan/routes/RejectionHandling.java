package id.jembatan.routes;

import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.JembatanException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;


/**
 * The one place where a message the bus refuses (a {@link JembatanException}: invalid, conflicting, not allowed)
 * is taken off its queue: it goes, unchanged, to the dead-letter queue named by the route's
 * {@code deadLetterQueue} exchange property, with the error code and reason in headers, in the same broker
 * transaction as the acknowledgement. Anything else (database or broker down) rolls back, and the broker
 * redelivers with back-off.
 */
@Component
public class RejectionHandling extends RouteConfigurationBuilder {

    /** Routes opt in with {@code .routeConfigurationId(REJECT_TO_DEAD_LETTER)}. */
    public static final String REJECT_TO_DEAD_LETTER = "reject-to-dead-letter";

    private final DeadLetterHeaders deadLetterHeaders;

    public RejectionHandling(DeadLetterHeaders deadLetterHeaders) {
        this.deadLetterHeaders = deadLetterHeaders;
    }

    @Override
    public void configuration() {
        routeConfiguration(REJECT_TO_DEAD_LETTER)
                .onException(JembatanException.class)
                    .handled(true)
                    .useOriginalMessage()
                    .process(deadLetterHeaders)
                    .log(LoggingLevel.WARN, "Rejected message ${header.JMSMessageID} on "
                            + "${routeId}: ${header." + BusHeaders.ERROR_CODE + "} ${header."
                            + BusHeaders.ERROR_DETAILS + "}")
                    .toD("jms:queue:${exchangeProperty.deadLetterQueue}")
                .end();
    }
}
