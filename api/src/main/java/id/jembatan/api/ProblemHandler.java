package id.jembatan.api;

import id.jembatan.bus.Failures;
import id.jembatan.bus.RetryLaterException;
import id.jembatan.quota.QuotaExceededException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns every failure of the HTTP API into problem+json with a stable code; never a stack trace, and never a detail
 * written by a library (an exception message names classes, SQL, columns and versions): the detail is ours, the
 * failure itself goes to the log.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final ProblemLanguage language;

    public ProblemHandler(ProblemLanguage language) {
        this.language = language;
    }

    private static final Map<Integer, ErrorCode> BY_STATUS = Map.of(
            400, ErrorCode.INVALID_QUERY_PARAMETER,
            404, ErrorCode.RESOURCE_NOT_FOUND,
            405, ErrorCode.METHOD_NOT_ALLOWED,
            406, ErrorCode.NOT_ACCEPTABLE,
            413, ErrorCode.PAYLOAD_TOO_LARGE,
            415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            503, ErrorCode.SERVICE_UNAVAILABLE);

    @ExceptionHandler(JembatanException.class)
    public ResponseEntity<ProblemDetail> rejected(JembatanException e, WebRequest request) {
        return answer(request, ResponseEntity.status(e.code().httpStatus()), e.code(), e.getMessage(), e.errors());
    }

    /**
     * Over a quota or a budget, or an owner service that cannot answer now: the problem, plus the header that tells a
     * well-behaved client when to come back, and for an agency's quota the quota itself ({@code quota}: which
     * operation, purpose and window, and its limit).
     */
    @ExceptionHandler(RetryLaterException.class)
    public ResponseEntity<ProblemDetail> retryLater(RetryLaterException e, WebRequest request) {
        ResponseEntity<ProblemDetail> answer = answer(request, ResponseEntity.status(e.code().httpStatus())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())), e.code(), e.getMessage(),
                List.of());
        if (e instanceof QuotaExceededException exceeded && answer.getBody() != null) {
            answer.getBody().setProperty("quota", exceeded.quota());
        }
        return answer;
    }

    /**
     * The database is busy (a lock not obtained in time, a query timeout) or unreachable: nothing was recorded, and
     * the same request may simply be sent again (events are idempotent by event id).
     */
    @ExceptionHandler({TransientDataAccessException.class, DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class})
    public ResponseEntity<ProblemDetail> databaseUnavailable(Exception e, WebRequest request) {
        log.warn("Request refused for now, the database is busy or unreachable: {}", e.getMessage());
        return answer(request, ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, "1"),
                ErrorCode.SERVICE_UNAVAILABLE, "The bus's database is busy or unreachable; nothing was recorded, send "
                        + "the same request again after the time given in Retry-After", List.of());
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e, WebRequest request) {
        JembatanException cause = jembatanCause(e);
        if (cause != null) {
            return rejected(cause, request);
        }
        // Without the messages: a database driver's quotes the statement's values, citizens' personal data.
        log.error("Request failed: {}", Failures.describe(e), Failures.withoutMessages(e));
        return answer(request, ResponseEntity.status(500), ErrorCode.INTERNAL_ERROR,
                "The bus could not complete the request", List.of());
    }

    /**
     * Spring MVC's own rejections (415, 405, 404, unreadable body, a query parameter that is missing or not a number,
     * ...) get our shape, a code, and a detail of our own: Spring's names its converters and Java types.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        JembatanException cause = jembatanCause(ex);
        if (cause != null) {
            return widened(answer(request, ResponseEntity.status(cause.code().httpStatus()).headers(headers),
                    cause.code(), cause.getMessage(), cause.errors()));
        }
        String parameter = ex instanceof MissingServletRequestParameterException missing ? missing.getParameterName()
                : ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName()
                : ex instanceof TypeMismatchException mismatch ? mismatch.getPropertyName()
                : null;
        if (parameter != null) {
            String message = ex instanceof MissingServletRequestParameterException
                    ? "query parameter " + parameter + " is required"
                    : "query parameter " + parameter + " has a value of the wrong form";
            return widened(answer(request, ResponseEntity.status(400).headers(headers),
                    ErrorCode.INVALID_QUERY_PARAMETER, message,
                    List.of(new FieldError(ErrorCode.INVALID_QUERY_PARAMETER, "/" + parameter, message))));
        }
        if (statusCode.is5xxServerError()) {
            log.error("Request failed", ex);
        }
        ErrorCode code = ex instanceof HttpMessageNotReadableException ? ErrorCode.MALFORMED_JSON
                : BY_STATUS.getOrDefault(statusCode.value(),
                statusCode.is5xxServerError() ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_QUERY_PARAMETER);
        String detail = switch (code) {
            case MALFORMED_JSON -> "Body is missing or unreadable";
            case METHOD_NOT_ALLOWED -> ex instanceof HttpRequestMethodNotSupportedException m
                    ? "Method " + m.getMethod() + " is not allowed on this resource" : code.title();
            case UNSUPPORTED_MEDIA_TYPE -> "Send the body as application/json";
            case NOT_ACCEPTABLE -> "Answers are application/json, or application/problem+json for a refusal";
            default -> code.title();
        };
        return widened(answer(request, ResponseEntity.status(statusCode).headers(headers), code, detail, List.of()));
    }

    /**
     * The answer in the language the caller asked for ({@link ProblemLanguage}), saying which one it is: the code,
     * status and pointers are the same in every language. Always problem+json, whatever the caller's {@code Accept}
     * (RFC 9457 allows it): negotiated, a caller accepting only XML was refused 406 with an empty body, since the
     * problem could not be written either.
     */
    private ResponseEntity<ProblemDetail> answer(WebRequest request, ResponseEntity.BodyBuilder builder,
                                                 ErrorCode code, String detail, List<FieldError> errors) {
        Locale chosen = ProblemLanguage.chosen(request.getHeader(HttpHeaders.ACCEPT_LANGUAGE));
        return builder.header(HttpHeaders.CONTENT_LANGUAGE, chosen.toLanguageTag())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(language.problem(chosen, code, detail, errors));
    }

    private static ResponseEntity<Object> widened(ResponseEntity<ProblemDetail> answer) {
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).body(answer.getBody());
    }

    private static JembatanException jembatanCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JembatanException j) {
                return j;
            }
        }
        return null;
    }
}
