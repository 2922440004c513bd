package id.jembatan.api.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import id.jembatan.bus.RetryLaterException;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.quota.RateLimitedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.transaction.CannotCreateTransactionException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the bus's FHIR endpoint refuses: an OperationOutcome that leads with the stable Jembatan code
 * ({@code POLICY_DENIED: ...}, and the code in {@code issue.details}; {@link FhirOutcomes}) under the HTTP status of
 * that code, as the REST API's problem+json does, and never an exception message, class name, SQL or library name.
 * As an interceptor of the FHIR server it sees every request and every exception on its way out: the Patient search
 * endpoint takes only searches (any other method is 405 with {@code Allow}); one of the bus's coded refusals keeps
 * its code and detail; a refusal of the FHIR server itself (an unsupported parameter, resource type or method) is
 * answered by its status with a code and a detail of our own; anything else is logged for the operators and answered
 * {@code INTERNAL_ERROR}, or {@code SERVICE_UNAVAILABLE} when the database is busy or unreachable.
 */
@Interceptor
public class FhirRefusals {

    private static final Logger log = LoggerFactory.getLogger(FhirRefusals.class);

    /** A message that already names its code: {@code POLICY_DENIED: ...}. */
    private static final Pattern CODED = Pattern.compile("^([A-Z][A-Z_]+): (.*)$", Pattern.DOTALL);

    private static final Map<Integer, ErrorCode> BY_STATUS = Map.of(
            400, ErrorCode.INVALID_QUERY_PARAMETER,
            401, ErrorCode.AGENCY_UNAUTHENTICATED,
            403, ErrorCode.POLICY_DENIED,
            404, ErrorCode.RESOURCE_NOT_FOUND,
            405, ErrorCode.METHOD_NOT_ALLOWED,
            406, ErrorCode.NOT_ACCEPTABLE,
            413, ErrorCode.PAYLOAD_TOO_LARGE,
            415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            501, ErrorCode.NOT_IMPLEMENTED);

    /** What the endpoint answers, for the detail of a request it has no answer for. */
    static final String USAGE = "this endpoint answers GET Patient?identifier=" + HealthFhir.NIK_SYSTEM + "|<NIK>";

    /** The bus's coded refusal as the FHIR server answers it: the code's status, {@code CODE: detail}. */
    public static BaseServerResponseException of(JembatanException refusal) {
        BaseServerResponseException answer = coded(refusal.code(), refusal.getMessage());
        if (refusal instanceof RetryLaterException limited) {
            answer.addResponseHeader(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
        }
        return answer;
    }

    /** A refusal with {@code code}'s status and {@code CODE: detail} as diagnostics. */
    public static BaseServerResponseException coded(ErrorCode code, String detail) {
        BaseServerResponseException answer = BaseServerResponseException.newInstance(code.httpStatus(),
                code.name() + ": " + detail);
        answer.setOperationOutcome(FhirOutcomes.of(code, detail));
        return answer;
    }

    /**
     * {@code /fhir/Patient} answers GET (and HEAD) searches, {@code /fhir/Patient/_search} GET and POST ones; PUT,
     * PATCH, DELETE or a create there is 405 with {@code Allow}, not the "unknown operation" 400 the server would
     * give. Written here rather than thrown: the server logs every exception a hook throws as an error.
     *
     * @return whether the server should go on with the request
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
    public boolean searchesOnly(RequestDetails request, HttpServletResponse response) throws IOException {
        if (!"Patient".equals(request.getResourceName()) || request.getId() != null) {
            return true;
        }
        boolean searchOperation = "_search".equals(request.getOperation());
        if (request.getOperation() != null && !searchOperation) {
            return true;
        }
        RequestTypeEnum method = request.getRequestType();
        if (method == RequestTypeEnum.GET || method == RequestTypeEnum.HEAD
                || (searchOperation && method == RequestTypeEnum.POST)) {
            return true;
        }
        String allowed = searchOperation ? "GET, POST" : "GET";
        byte[] body = FhirOutcomes.json(ErrorCode.METHOD_NOT_ALLOWED, (searchOperation ? "/fhir/Patient/_search"
                : "/fhir/Patient") + " is a search; it answers " + allowed + ", not " + method)
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(ErrorCode.METHOD_NOT_ALLOWED.httpStatus());
        response.setHeader("Allow", allowed);
        response.setContentType(FhirOutcomes.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return false;
    }

    /**
     * Replaces every outgoing exception by an OperationOutcome with its stable code.
     *
     * @return the exception to answer with
     */
    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException outgoing(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof JembatanException refusal) {
                return of(refusal);
            }
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException) {
                log.warn("FHIR request refused for now, the database is busy or unreachable: {}",
                        t.getClass().getSimpleName());
                return coded(ErrorCode.SERVICE_UNAVAILABLE, "the bus's database is busy or unreachable; nothing was"
                        + " recorded, send the same request again after the time given in Retry-After")
                        .addResponseHeader(HttpHeaders.RETRY_AFTER, "1");
            }
        }
        Matcher coded = CODED.matcher(thrown instanceof BaseServerResponseException
                ? String.valueOf(thrown.getMessage()) : "");
        ErrorCode named = coded.matches() ? codeNamed(coded.group(1)) : null;
        if (thrown instanceof BaseServerResponseException answer && named != null
                && named.httpStatus() == answer.getStatusCode()) {
            // One of ours (coded), a 5xx among them (an export's EXPORT_INTERRUPTED): answered as it is, with the
            // outcome it carries (a death report's validator findings) or one made from its code.
            if (answer.getOperationOutcome() == null) {
                answer.setOperationOutcome(FhirOutcomes.of(named, coded.group(2)));
            }
            return answer;
        }
        if (thrown instanceof BaseServerResponseException answer && answer.getStatusCode() < 500) {
            // The FHIR server's own words name its message numbers and internals: the caller gets ours.
            log.debug("FHIR request refused by the FHIR server: {}", answer.getMessage());
            // A status no code stands for: the request was not one this endpoint can answer.
            ErrorCode code = BY_STATUS.getOrDefault(answer.getStatusCode(), ErrorCode.REQUEST_MALFORMED);
            return coded(code, code.title() + "; " + USAGE);
        }
        log.error("FHIR request failed", thrown);
        return coded(ErrorCode.INTERNAL_ERROR, "the bus could not complete the request");
    }

    private static ErrorCode codeNamed(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
