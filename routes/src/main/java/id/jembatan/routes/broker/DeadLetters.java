package id.jembatan.routes.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.bus.Failures;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one dead-letter path: what every message the bus gives up on carries into its dead-letter queue, whoever
 * gives up on it (a delivery route, a batch of the inbound queue, a file drop). The message goes unchanged, with its
 * own properties (among them the event id and the citizen's message group {@code JMSXGroupID}, so that a replay
 * goes back into the citizen's order) and these, in our own words:
 * <ul>
 *   <li>{@code JembatanErrorCode}: the stable error code ({@code INTERNAL_ERROR} for anything that is not one of our
 *   coded refusals);</li>
 *   <li>{@code JembatanErrorReason}: what went wrong, as the refusal says it; never an exception's class or a
 *   library's message, which stay in the log (they may quote personal data);</li>
 *   <li>{@code JembatanErrorDetails}: the field errors as JSON ({@code [{code, pointer, message}]}, empty if
 *   none);</li>
 *   <li>{@code JembatanAgencyResponse}: the agency's own answer, where it refused and said why.</li>
 * </ul>
 * Left behind: what the broker sets itself ({@code JMSX...} but the group, {@code _AMQ...}, among them the
 * duplicate-detection id, with which the dead-letter address would drop the same event dead-lettered a second time
 * after a replay) and the error headers of an earlier attempt.
 */
@Component
public class DeadLetters implements Processor {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final Set<String> ERROR_HEADERS = Set.of(BusHeaders.ERROR_CODE, BusHeaders.ERROR_REASON,
            BusHeaders.ERROR_DETAILS, BusHeaders.AGENCY_RESPONSE);
    /** The reason of a failure that is not one of our refusals: what happened is for the log, not the broker. */
    static final String INTERNAL_REASON = "the bus failed to process this message (an internal error); its log has"
            + " the cause, at the time the message was dead-lettered";

    private final ObjectMapper mapper;

    public DeadLetters(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * In a Camel route, before the {@code to("jms:queue:<dead-letter queue>")} that sends it: makes the exchange's
     * message (the original, {@code useOriginalMessage()}) the dead letter of the exception that was caught.
     */
    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        org.apache.camel.Message message = exchange.getMessage();
        message.getHeaders().keySet().removeIf(name -> !kept(name));
        Map<String, String> why = why(failure);
        why.forEach(message::setHeader);
        String from = exchange.getFromEndpoint() instanceof JmsEndpoint jms ? jms.getDestinationName()
                : exchange.getFromRouteId();
        logged(message.getHeader(BusHeaders.EVENT_ID, String.class), message.getMessageId(), from, why, failure);
    }

    /**
     * The dead letter of {@code original}, made in {@code session} (a consumer that dead-letters in the transaction
     * in which it took the message): the same body (text, bytes or map) and properties, with why.
     */
    public Message deadLetter(Session session, Message original, Throwable failure, String from)
            throws JMSException {
        Message copy = copyBody(session, original);
        for (String name : Collections.list(names(original.getPropertyNames()))) {
            if (kept(name)) {
                copy.setObjectProperty(name, original.getObjectProperty(name));
            }
        }
        Map<String, String> why = why(failure);
        for (Map.Entry<String, String> header : why.entrySet()) {
            copy.setStringProperty(header.getKey(), header.getValue());
        }
        logged(original.getStringProperty(BusHeaders.EVENT_ID), original.getJMSMessageID(), from, why, failure);
        return copy;
    }

    /** The headers that say why: code, reason, field errors and, where the agency said why it refused, its answer. */
    public Map<String, String> why(Throwable failure) {
        JembatanException refusal = refusal(failure);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(BusHeaders.ERROR_CODE, refusal == null ? ErrorCode.INTERNAL_ERROR.name() : refusal.code().name());
        headers.put(BusHeaders.ERROR_REASON, refusal == null || refusal.getMessage() == null ? INTERNAL_REASON
                : refusal.getMessage());
        List<Map<String, String>> details = refusal == null ? List.of() : refusal.errors().stream()
                .map(f -> Map.of("code", f.code().name(), "pointer", f.pointer(), "message", f.message()))
                .toList();
        try {
            headers.put(BusHeaders.ERROR_DETAILS, mapper.writeValueAsString(details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the field errors as JSON", e);
        }
        if (refusal instanceof AgencyRejectedException rejected && rejected.agencyResponse() != null) {
            headers.put(BusHeaders.AGENCY_RESPONSE, rejected.agencyResponse());
        }
        return headers;
    }

    /**
     * Whether a property of the message goes into its dead letter: its own ones and the citizen's group do; what the
     * broker sets itself and the error headers of an earlier attempt do not.
     */
    static boolean kept(String name) {
        if (name.equals(BusHeaders.GROUP_ID)) {
            return true;
        }
        return !name.startsWith("JMSX") && !name.startsWith("_AMQ") && !ERROR_HEADERS.contains(name);
    }

    /** Our refusal behind the failure (Camel may wrap it), or null for anything else. */
    private static JembatanException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JembatanException refusal) {
                return refusal;
            }
        }
        return null;
    }

    private static void logged(String eventId, String messageId, String from, Map<String, String> why,
                               Throwable failure) {
        String id = eventId != null ? "event " + eventId : "message " + messageId;
        if (refusal(failure) != null) {
            log.warn("Dead-lettered {} from {}: {} {}", id, from, why.get(BusHeaders.ERROR_CODE),
                    why.get(BusHeaders.ERROR_REASON));
        } else {
            // The failure's messages may quote the message's personal data: its types and stack only.
            log.error("Dead-lettered {} from {}: {}", id, from, ErrorCode.INTERNAL_ERROR,
                    failure == null ? null : Failures.withoutMessages(failure));
        }
    }

    /**
     * A new message with the original's body. An object or stream message's body is not copied (an object message
     * from outside is untrusted code, never deserialized here): its dead letter keeps the properties and says why.
     */
    private static Message copyBody(Session session, Message original) throws JMSException {
        if (original instanceof TextMessage text) {
            return session.createTextMessage(text.getText());
        }
        if (original instanceof BytesMessage bytes) {
            bytes.reset(); // a flow may have read it already
            byte[] body = new byte[(int) Math.min(Integer.MAX_VALUE, bytes.getBodyLength())];
            bytes.readBytes(body);
            BytesMessage copy = session.createBytesMessage();
            copy.writeBytes(body);
            return copy;
        }
        if (original instanceof MapMessage map) {
            MapMessage copy = session.createMapMessage();
            for (String name : Collections.list(names(map.getMapNames()))) {
                copy.setObject(name, map.getObject(name));
            }
            return copy;
        }
        return session.createMessage();
    }

    @SuppressWarnings("unchecked")
    private static java.util.Enumeration<String> names(java.util.Enumeration<?> names) {
        return (java.util.Enumeration<String>) names;
    }
}
