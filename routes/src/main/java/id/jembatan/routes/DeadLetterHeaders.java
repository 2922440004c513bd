package id.jembatan.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts on a message that is about to be dead-lettered why: the stable error code, a reason, for validation the
 * field errors as JSON, and for a delivery the agency refused its own answer (a FHIR OperationOutcome). Anything that is not one of our coded rejections is {@code INTERNAL_ERROR} with its
 * exception class and message, so the dead-letter entry always says what happened.
 */
@Component
public class DeadLetterHeaders implements Processor {

    private final ObjectMapper mapper;

    public DeadLetterHeaders(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                .forEach(exchange.getMessage()::setHeader);
    }

    /**
     * The headers that say why a message was dead-lettered: code, reason, field errors (JSON) and, when the agency
     * said why it refused, its answer ({@link BusHeaders#AGENCY_RESPONSE}).
     */
    public Map<String, String> describe(Throwable failure) {
        ErrorCode code = failure instanceof JembatanException j ? j.code() : ErrorCode.INTERNAL_ERROR;
        String reason = failure == null ? "unknown failure"
                : failure instanceof JembatanException ? failure.getMessage()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        List<Map<String, String>> details = failure instanceof JembatanException j
                ? j.errors().stream().map(f -> Map.of("code", f.code().name(), "pointer", f.pointer(),
                "message", f.message())).toList()
                : List.of();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(BusHeaders.ERROR_CODE, code.name());
        headers.put(BusHeaders.ERROR_REASON, reason);
        try {
            headers.put(BusHeaders.ERROR_DETAILS, mapper.writeValueAsString(details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the field errors as JSON", e);
        }
        if (failure instanceof AgencyRejectedException rejected && rejected.agencyResponse() != null) {
            headers.put(BusHeaders.AGENCY_RESPONSE, rejected.agencyResponse());
        }
        return headers;
    }
}
