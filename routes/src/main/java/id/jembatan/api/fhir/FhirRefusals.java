package id.jembatan.api.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FHIR endpoint's refusals, made alike: the Patient search endpoint takes only searches (any other method is 405
 * with {@code Allow}), and every error leaves as an OperationOutcome that leads with a stable code
 * ({@link FhirOutcomes}) and never names the library or repeats an internal failure's message.
 */
@Interceptor
public class FhirRefusals {

    private static final Logger log = LoggerFactory.getLogger(FhirRefusals.class);

    /** A message that already names its code: {@code POLICY_DENIED: ...}. */
    private static final Pattern CODED = Pattern.compile("^([A-Z][A-Z_]+): (.*)$", Pattern.DOTALL);
    /** HAPI's own message numbers ({@code HAPI-0302: }), which name the library. */
    private static final Pattern LIBRARY_PREFIX = Pattern.compile("^HAPI-\\d+: ");

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

    /** Every error the FHIR server answers with, as an OperationOutcome with its stable code. */
    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException outgoing(Throwable failure) {
        BaseServerResponseException answer;
        ErrorCode code;
        String detail;
        if (failure instanceof BaseServerResponseException known && known.getStatusCode() < 500) {
            answer = known;
            String message = known.getMessage() == null ? "" : LIBRARY_PREFIX.matcher(known.getMessage())
                    .replaceFirst("");
            Matcher coded = CODED.matcher(message);
            ErrorCode named = coded.matches() ? codeNamed(coded.group(1)) : null;
            if (named != null && named.httpStatus() == known.getStatusCode()) {
                code = named;
                detail = coded.group(2);
            } else if (BY_STATUS.containsKey(known.getStatusCode())) {
                code = BY_STATUS.get(known.getStatusCode());
                detail = message;
            } else {
                // A status no code stands for: the request was not one this endpoint can answer.
                answer = new InvalidRequestException(message);
                code = ErrorCode.REQUEST_MALFORMED;
                detail = message;
            }
        } else {
            log.error("FHIR request failed", failure);
            answer = new InternalErrorException(ErrorCode.INTERNAL_ERROR.title());
            code = ErrorCode.INTERNAL_ERROR;
            detail = "The bus could not complete the request";
        }
        answer.setOperationOutcome(FhirOutcomes.of(code, detail));
        return answer;
    }

    private static ErrorCode codeNamed(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
