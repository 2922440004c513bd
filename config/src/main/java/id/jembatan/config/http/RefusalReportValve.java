package id.jembatan.config.http;

import id.jembatan.api.Refusals;
import id.jembatan.schema.error.ErrorCode;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers what the servlet container refuses on its own (a malformed request line, headers over the size limit, a
 * path whose percent-encoding is invalid, a method the container does not serve, an error page for a status nobody
 * wrote a body for) in the caller's format through {@link Refusals}, instead of Tomcat's HTML page: an
 * OperationOutcome under {@code /fhir}, problem+json everywhere else and when the path could not be read. The answer
 * is a fixed sentence per code; the request's content and the container's message never appear in it.
 */
public class RefusalReportValve extends ErrorReportValve {

    private static final Map<Integer, ErrorCode> BY_STATUS = Map.ofEntries(
            Map.entry(400, ErrorCode.REQUEST_MALFORMED),
            Map.entry(401, ErrorCode.AGENCY_UNAUTHENTICATED),
            Map.entry(403, ErrorCode.POLICY_DENIED),
            Map.entry(404, ErrorCode.RESOURCE_NOT_FOUND),
            Map.entry(405, ErrorCode.METHOD_NOT_ALLOWED),
            Map.entry(406, ErrorCode.NOT_ACCEPTABLE),
            Map.entry(408, ErrorCode.REQUEST_TIMEOUT),
            Map.entry(413, ErrorCode.PAYLOAD_TOO_LARGE),
            Map.entry(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
            Map.entry(429, ErrorCode.RATE_LIMITED),
            Map.entry(500, ErrorCode.INTERNAL_ERROR),
            Map.entry(501, ErrorCode.NOT_IMPLEMENTED),
            Map.entry(503, ErrorCode.SERVICE_UNAVAILABLE),
            Map.entry(505, ErrorCode.HTTP_VERSION_NOT_SUPPORTED));

    private static final String MALFORMED = "The request is not well-formed HTTP: its request line, a header or the "
            + "percent-encoding of its path is invalid, or its request line and headers exceed the size limit";

    private final Refusals refusals;

    public RefusalReportValve(Refusals refusals) {
        this.refusals = refusals;
        setShowReport(false);
        setShowServerInfo(false);
    }

    /** The code for a status the container chose; a status no code stands for becomes 400 or 500. */
    static ErrorCode codeFor(int status) {
        ErrorCode code = BY_STATUS.get(status);
        if (code != null) {
            return code;
        }
        return status < 500 ? ErrorCode.REQUEST_MALFORMED : ErrorCode.INTERNAL_ERROR;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorCode code = codeFor(status);
        Refusals.Refusal refusal = refusals.render(request.getRequestURI(), request.getHeader("Accept-Language"),
                code, code == ErrorCode.REQUEST_MALFORMED ? MALFORMED : code.title());
        try {
            response.setStatus(refusal.status());
            response.setContentType(refusal.contentType());
            if (refusal.contentLanguage() != null) {
                response.setHeader("Content-Language", refusal.contentLanguage());
            }
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(refusal.body());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client has gone; there is no one to answer.
        }
    }
}
