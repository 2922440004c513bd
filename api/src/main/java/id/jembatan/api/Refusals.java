package id.jembatan.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.api.fhir.FhirOutcomes;
import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Refusals made outside the API's own handlers (authentication, request limits, the servlet container) in the
 * caller's format: a FHIR {@code OperationOutcome} under {@code /fhir}, problem+json everywhere else. Each carries
 * its stable code and a fixed sentence, never what the request contained.
 */
@Component
public class Refusals {

    /** The FHIR endpoint's path; everything below it answers as FHIR. */
    public static final String FHIR_PATH = "/fhir";

    private final ObjectMapper mapper;

    public Refusals(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A refusal ready to write: its status, content type and body. */
    public record Refusal(int status, String contentType, String body) {
    }

    /**
     * The refusal for a request to {@code path} (the request URI as sent, without the context path; null when the
     * request line could not be read, which answers problem+json).
     */
    public Refusal render(String path, ErrorCode code, String detail) {
        if (isFhir(path)) {
            return new Refusal(code.httpStatus(), FhirOutcomes.MEDIA_TYPE, FhirOutcomes.json(code, detail));
        }
        try {
            return new Refusal(code.httpStatus(), MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    mapper.writeValueAsString(Problems.of(code, detail, List.of())));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the refusal to the response of a request that has not been answered yet. */
    public void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
            throws IOException {
        Refusal refusal = render(pathOf(request), code, detail);
        response.setStatus(refusal.status());
        response.setContentType(refusal.contentType());
        byte[] body = refusal.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The request's path below the context path, as sent (not decoded). */
    public static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return uri != null && context != null && !context.isEmpty() && uri.startsWith(context)
                ? uri.substring(context.length()) : uri;
    }

    /** Whether a request to this path is a FHIR client's. */
    public static boolean isFhir(String path) {
        return path != null && (path.equals(FHIR_PATH) || path.startsWith(FHIR_PATH + "/")
                || path.startsWith(FHIR_PATH + "?"));
    }
}
