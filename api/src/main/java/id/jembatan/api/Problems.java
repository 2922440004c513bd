package id.jembatan.api;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the problem+json answers (RFC 9457) of the v1 API: {@code type}, {@code title}, {@code status},
 * {@code detail}, the stable {@code code}, and for validation a list of {@code {pointer, message, code}}.
 */
public final class Problems {

    /** Base of the problem type URIs; the code in lower case with dashes follows. */
    public static final String TYPE_BASE = "https://jembatan.id/problems/";

    private Problems() {
    }

    public static ProblemDetail of(ErrorCode code, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.httpStatus()),
                detail == null || detail.isBlank() ? code.title() : detail);
        problem.setType(URI.create(TYPE_BASE + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(code.title());
        problem.setProperty("code", code.name());
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors.stream()
                    .map(e -> Map.of("pointer", e.pointer(), "message", e.message(), "code", e.code().name()))
                    .toList());
        }
        return problem;
    }
}
