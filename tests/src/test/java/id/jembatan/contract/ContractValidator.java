package id.jembatan.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.validation.OpenApiContract;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Holds every answer of the v1 HTTP API to the published OpenAPI document ({@link OpenApiContract}): the operation
 * and status must be documented, the content type listed, the body valid against the documented schema (with
 * networknt's OpenAPI 3.1 dialect, the JSON Schema 2020-12 validator the bus itself validates with), required
 * headers present, and a problem's {@code code} must belong to its HTTP status. So a field renamed, added or retyped
 * in the code without the contract fails the test that saw it.
 *
 * <p>Answers a bus gives before it knows the operation (401, 403, 404, 405, 406 on a path or method the document
 * does not have), and the HTTP layer's refusals of any call (the document's introduction: a malformed request, a
 * body too slow or too large, an unknown transfer coding or HTTP version), need only be problem+json with the right
 * code.
 */
public final class ContractValidator {

    private static final ContractValidator V1 = new ContractValidator(OpenApiContract.v1());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> GENERIC_ANSWERS = Set.of(401, 403, 404, 405, 406);
    private static final Set<String> HTTP_LAYER_CODES = Set.of(ErrorCode.REQUEST_MALFORMED.name(),
            ErrorCode.REQUEST_TIMEOUT.name(), ErrorCode.PAYLOAD_TOO_LARGE.name(), ErrorCode.NOT_IMPLEMENTED.name(),
            ErrorCode.HTTP_VERSION_NOT_SUPPORTED.name());
    private static final String PROBLEM_SCHEMA = "/components/schemas/Problem";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final OpenApiContract contract;
    private final JsonNode document;
    private final List<PathTemplate> paths = new ArrayList<>();

    private record PathTemplate(String template, Pattern pattern, int variables) {
    }

    ContractValidator(OpenApiContract contract) {
        this.contract = contract;
        this.document = contract.document();
        document.get("paths").fieldNames().forEachRemaining(template -> {
            StringBuilder regex = new StringBuilder();
            int variables = 0;
            for (String part : template.split("(?=\\{)|(?<=})")) {
                if (part.startsWith("{")) {
                    regex.append("[^/]+");
                    variables++;
                } else {
                    regex.append(Pattern.quote(part));
                }
            }
            paths.add(new PathTemplate(template, Pattern.compile(regex.toString()), variables));
        });
        // A literal path wins over a template that also matches it (/citizens/verify, not /citizens/{nik}).
        paths.sort(Comparator.comparingInt(PathTemplate::variables));
    }

    /** The v1 contract's validator. */
    public static ContractValidator v1() {
        return V1;
    }

    /**
     * Checks an answer of the bus; answers outside {@code /api/} (sandboxes, FHIR, actuator) are not this contract's.
     *
     * @throws AssertionError naming every way the answer departs from the contract
     */
    public void check(HttpResponse<String> response) {
        String path = response.request().uri().getPath();
        if (!path.startsWith("/api/")) {
            return;
        }
        List<String> violations = violations(response.request().method(), path, response.statusCode(),
                response.headers(), response.body());
        if (!violations.isEmpty()) {
            throw new AssertionError("The answer to " + response.request().method() + " " + path + " (" +
                    response.statusCode() + ") breaks the published contract (openapi/v1/openapi.yaml):\n  "
                    + String.join("\n  ", violations) + "\nbody: " + response.body());
        }
    }

    /** Every way this answer departs from the contract; empty when it keeps it. */
    public List<String> violations(String method, String path, int status, HttpHeaders headers, String body) {
        JsonNode refusal = parse(body);
        if (refusal != null && HTTP_LAYER_CODES.contains(refusal.path("code").asText())) {
            return problem(PROBLEM_SCHEMA, status, headers, body);
        }
        Optional<String> template = paths.stream().filter(p -> p.pattern().matcher(path).matches())
                .map(PathTemplate::template).findFirst();
        JsonNode operation = template.map(t -> document.get("paths").get(t).get(method.toLowerCase(Locale.ROOT)))
                .orElse(null);
        if (operation == null) {
            if (GENERIC_ANSWERS.contains(status)) {
                return problem(PROBLEM_SCHEMA, status, headers, body);
            }
            return List.of(template.isEmpty() ? "path " + path + " is not in the contract"
                    : method + " " + template.get() + " is not in the contract");
        }
        String at = "/paths/" + escape(template.get()) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/";
        JsonNode responses = operation.get("responses");
        String key = responses.has(String.valueOf(status)) ? String.valueOf(status)
                : responses.has(status / 100 + "XX") ? status / 100 + "XX" : responses.has("default") ? "default" : null;
        if (key == null) {
            if (status == 405 || status == 406) {
                return problem(PROBLEM_SCHEMA, status, headers, body);
            }
            return List.of("status " + status + " is not documented for " + method + " " + template.get()
                    + " (documented: " + String.join(", ", iterable(responses)) + ")");
        }
        JsonNode response = responses.get(key);
        at = at + escape(key);
        if (response.has("$ref")) {
            at = response.get("$ref").asText().substring(1);
            response = document.at(at);
        }
        return body(response, at, status, headers, body);
    }

    private List<String> body(JsonNode response, String at, int status, HttpHeaders headers, String body) {
        List<String> violations = new ArrayList<>();
        response.path("headers").fields().forEachRemaining(header -> {
            if (header.getValue().path("required").asBoolean() && headers.firstValue(header.getKey()).isEmpty()) {
                violations.add("header " + header.getKey() + " is required");
            }
        });
        JsonNode content = response.path("content");
        if (content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                violations.add("no body is documented, but there is one");
            }
            return violations;
        }
        String mediaType = headers.firstValue("Content-Type").map(ContractValidator::mediaType).orElse("");
        if (!content.has(mediaType)) {
            violations.add("content type '" + mediaType + "' is not documented (documented: "
                    + String.join(", ", iterable(content)) + ")");
            return violations;
        }
        if (!mediaType.endsWith("json")) {
            // A text answer (text/csv): its schema is a string's.
            violations.addAll(valid(at + "/content/" + escape(mediaType) + "/schema", JSON.getNodeFactory()
                    .textNode(body == null ? "" : body)));
            return violations;
        }
        violations.addAll(valid(at + "/content/" + escape(mediaType) + "/schema", body));
        if (mediaType.equals(PROBLEM_JSON)) {
            violations.addAll(problemStatus(status, body));
        }
        return violations;
    }

    private List<String> problem(String schema, int status, HttpHeaders headers, String body) {
        String mediaType = headers.firstValue("Content-Type").map(ContractValidator::mediaType).orElse("");
        if (!mediaType.equals(PROBLEM_JSON)) {
            return List.of("a refusal must be " + PROBLEM_JSON + ", not '" + mediaType + "'");
        }
        List<String> violations = new ArrayList<>(valid(schema, body));
        violations.addAll(problemStatus(status, body));
        return violations;
    }

    /** A problem's code belongs to one HTTP status: the answer's. */
    private static List<String> problemStatus(int status, String body) {
        JsonNode problem = parse(body);
        if (problem == null || !problem.path("code").isTextual()) {
            return List.of();
        }
        try {
            int expected = ErrorCode.valueOf(problem.get("code").asText()).httpStatus();
            return expected == status ? List.of()
                    : List.of("code " + problem.get("code").asText() + " means " + expected + ", not " + status);
        } catch (IllegalArgumentException unknown) {
            return List.of("code " + problem.get("code").asText() + " is not an ErrorCode");
        }
    }

    private List<String> valid(String schemaPointer, String body) {
        JsonNode json = parse(body);
        if (json == null) {
            return List.of("the body is not JSON");
        }
        return valid(schemaPointer, json);
    }

    private List<String> valid(String schemaPointer, JsonNode json) {
        List<String> violations = new ArrayList<>();
        for (Error error : contract.schemaAt(schemaPointer).validate(json)) {
            violations.add(error.getInstanceLocation() + ": " + error.getMessage() + " (schema "
                    + schemaPointer + ")");
        }
        return violations;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
    }

    private static Iterable<String> iterable(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
