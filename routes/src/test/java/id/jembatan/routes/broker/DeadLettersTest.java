package id.jembatan.routes.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.error.ErrorCode;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The headers of the one dead-letter path, as a Camel route's dead letter gets them. */
class DeadLettersTest {

    private final DeadLetters deadLetters = new DeadLetters(new ObjectMapper());

    /**
     * An event refused by the agency, consumed with the broker's properties and the error headers of an earlier
     * attempt (it was replayed), is dead-lettered. Result: it keeps its event id, type and group; the broker's own
     * properties (the duplicate-detection id, the delivery count) and the earlier attempt's agency answer are gone;
     * the code, reason and the agency's new answer are this attempt's; the field errors are an empty list.
     */
    @Test
    void aRouteDeadLetterKeepsItsOwnPropertiesAndSaysWhyInOurWords() {
        Exchange exchange = exchange(new AgencyRejectedException(ErrorCode.AGENCY_REJECTED,
                "health agency answered HTTP 422", "{\"resourceType\":\"OperationOutcome\"}", null));
        exchange.getMessage().setHeader("JembatanEventId", "e-1");
        exchange.getMessage().setHeader("JembatanEventType", "BirthRegistered");
        exchange.getMessage().setHeader("JMSXGroupID", "0a1b");
        exchange.getMessage().setHeader("_AMQ_DUPL_ID", "e-1");
        exchange.getMessage().setHeader("JMSXDeliveryCount", 3);
        exchange.getMessage().setHeader("JembatanErrorCode", "AGENCY_UNAVAILABLE");
        exchange.getMessage().setHeader("JembatanAgencyResponse", "an older answer");

        deadLetters.process(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsEntry("JembatanEventId", "e-1")
                .containsEntry("JembatanEventType", "BirthRegistered")
                .containsEntry("JMSXGroupID", "0a1b")
                .containsEntry("JembatanErrorCode", "AGENCY_REJECTED")
                .containsEntry("JembatanErrorReason", "health agency answered HTTP 422")
                .containsEntry("JembatanErrorDetails", "[]")
                .containsEntry("JembatanAgencyResponse", "{\"resourceType\":\"OperationOutcome\"}")
                .doesNotContainKeys("_AMQ_DUPL_ID", "JMSXDeliveryCount");
    }

    /**
     * A failure that is none of our refusals (a database driver's, quoting a citizen's name), wrapped by Camel.
     * Result: INTERNAL_ERROR with our own reason, which names neither the exception nor its message; no agency
     * answer.
     */
    @Test
    void anythingElseIsAnInternalErrorInOurWords() {
        Exchange exchange = exchange(new RuntimeCamelException(new SQLException("Value too long: 'Siti Rahmawati'")));
        exchange.getMessage().setHeader("JembatanAgencyResponse", "an older answer");

        deadLetters.process(exchange);

        assertThat(exchange.getMessage().getHeader("JembatanErrorCode")).isEqualTo("INTERNAL_ERROR");
        assertThat(exchange.getMessage().getHeader("JembatanErrorReason", String.class))
                .isEqualTo(DeadLetters.INTERNAL_REASON).doesNotContain("SQLException").doesNotContain("Siti");
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey("JembatanAgencyResponse");
    }

    /** Result: a refusal Camel wrapped is still found and dead-lettered with its own code. */
    @Test
    void aWrappedRefusalKeepsItsCode() {
        Exchange exchange = exchange(new RuntimeCamelException(new AgencyRejectedException("tax answered 400: no")));

        deadLetters.process(exchange);

        assertThat(exchange.getMessage().getHeader("JembatanErrorCode")).isEqualTo("AGENCY_REJECTED");
        assertThat(exchange.getMessage().getHeader("JembatanErrorReason")).isEqualTo("tax answered 400: no");
    }

    private static Exchange exchange(Throwable caught) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, caught);
        return exchange;
    }
}
