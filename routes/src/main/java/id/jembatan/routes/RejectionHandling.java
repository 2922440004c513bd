package id.jembatan.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.bus.BusHeaders;
import id.jembatan.schema.error.JembatanException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

import java.util.Map;

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

    private final ObjectMapper mapper;

    public RejectionHandling(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void configuration() {
        routeConfiguration(REJECT_TO_DEAD_LETTER)
                .onException(JembatanException.class)
                    .handled(true)
                    .useOriginalMessage()
                    .process(this::describeRejection)
                    .log(LoggingLevel.WARN, "Rejected message ${header.JMSMessageID} on "
                            + "${routeId}: ${header." + BusHeaders.ERROR_CODE + "} ${header."
                            + BusHeaders.ERROR_DETAILS + "}")
                    .toD("jms:queue:${exchangeProperty.deadLetterQueue}")
                .end();
    }

    private void describeRejection(Exchange exchange) throws Exception {
        JembatanException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, JembatanException.class);
        exchange.getMessage().setHeader(BusHeaders.ERROR_CODE, e.code().name());
        exchange.getMessage().setHeader(BusHeaders.ERROR_REASON, e.getMessage());
        exchange.getMessage().setHeader(BusHeaders.ERROR_DETAILS, mapper.writeValueAsString(e.errors().stream()
                .map(f -> Map.of("code", f.code().name(), "pointer", f.pointer(), "message", f.message()))
                .toList()));
    }
}
