package id.jembatan.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.api.fhir.FhirOutcomes;
import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

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
    private final ProblemLanguage language;

    public Refusals(ObjectMapper mapper, ProblemLanguage language) {
        this.mapper = mapper;
        this.language = language;
    }

    /**
     * A refusal ready to write: its status, content type, body and the language of the body ({@code Content-Language};
     * null for a FHIR OperationOutcome, which stays English).
     */
    public record Refusal(int status, String contentType, String body, String contentLanguage) {
    }

    /**
     * The refusal for a request to {@code path} (the request URI as sent, without the context path; null when the
     * request line could not be read, which answers problem+json), in the language the caller's
     * {@code Accept-Language} asks for (null: English).
     */
    public Refusal render(String path, String acceptLanguage, ErrorCode code, String detail) {
        if (isFhir(path)) {
            return new Refusal(code.httpStatus(), FhirOutcomes.MEDIA_TYPE, FhirOutcomes.json(code, detail), null);
        }
        Locale chosen = ProblemLanguage.chosen(acceptLanguage);
        try {
            return new Refusal(code.httpStatus(), MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    mapper.writeValueAsString(language.problem(chosen, code, detail, List.of())),
                    chosen.toLanguageTag());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the refusal to the response of a request that has not been answered yet. */
    public void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
            throws IOException {
        Refusal refusal = render(pathOf(request), request.getHeader(HttpHeaders.ACCEPT_LANGUAGE), code, detail);
        response.setStatus(refusal.status());
        response.setContentType(refusal.contentType());
        if (refusal.contentLanguage() != null) {
            response.setHeader(HttpHeaders.CONTENT_LANGUAGE, refusal.contentLanguage());
            response.setHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE);
        }
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
