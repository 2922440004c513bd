package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.rules.Npwp;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The published request and response JSON Schemas of one owner service ({@code POST /api/v1/services/{owner}/
 * {service}}), {@code schemas/v1/services/<owner>/<service>.request.schema.json} and {@code .response.schema.json},
 * compiled when constructed. A request passes its schema and the number rules of the members every service names the
 * same way ({@code nik}: {@link Nik#check}, {@code npwp}: {@link Npwp#check}); an owner's answer passes its response
 * schema before it reaches the caller. Immutable and thread-safe.
 */
public final class ServiceContract {

    /** What an owner's name is: an agency id. */
    public static final Pattern OWNER = Pattern.compile("[a-z][a-z0-9-]{1,39}");
    /**
     * What a service's name is in the catalogue, a URL and a schema's path; short enough that {@code owner/service}
     * fits the audit chain's reference (64).
     */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,22}");

    private static final List<String> NUMBER_POINTERS = List.of("/nik", "/npwp");

    private final Schema request;
    private final Schema response;

    /**
     * @throws IllegalArgumentException if the owner is not {@link #OWNER} or the service not {@link #NAME}
     * @throws IllegalStateException    if a schema is missing from the classpath or does not compile
     */
    public ServiceContract(String owner, String service) {
        SchemaRegistry registry = V1Schemas.registry();
        this.request = V1Schemas.load(registry, requestSchemaId(owner, service));
        this.response = V1Schemas.load(registry, responseSchemaId(owner, service));
    }

    /** {@code https://jembatan.id/schemas/v1/services/<owner>/<service>.request.schema.json}. */
    public static String requestSchemaId(String owner, String service) {
        return EventValidator.SCHEMA_ID_PREFIX + path(owner, service) + ".request.schema.json";
    }

    /** {@code https://jembatan.id/schemas/v1/services/<owner>/<service>.response.schema.json}. */
    public static String responseSchemaId(String owner, String service) {
        return EventValidator.SCHEMA_ID_PREFIX + path(owner, service) + ".response.schema.json";
    }

    /** Whether the classpath holds both schemas of the service (checked at start, before they are compiled). */
    public static boolean isPublished(String owner, String service) {
        ClassLoader loader = ServiceContract.class.getClassLoader();
        String base = "schemas/" + path(owner, service);
        return loader.getResource(base + ".request.schema.json") != null
                && loader.getResource(base + ".response.schema.json") != null;
    }

    /**
     * Checks a request body: its schema, then the NIK and legacy NPWP rules of the members that carry them, all
     * errors at once.
     *
     * @throws JembatanException carrying every error found, the first error's code as its code
     */
    public void checkRequest(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.MALFORMED_JSON, "",
                    "Body must be a JSON object")));
        }
        List<FieldError> errors = V1Schemas.violations(request, body);
        for (String pointer : NUMBER_POINTERS) {
            JsonNode value = body.at(pointer);
            boolean rejectedBySchema = errors.stream().anyMatch(e -> e.pointer().equals(pointer));
            if (value.isTextual() && !rejectedBySchema) {
                errors.addAll(pointer.equals("/nik") ? Nik.check(value.textValue(), pointer)
                        : Npwp.check(value.textValue(), pointer));
            }
        }
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
    }

    /** Every way an owner's answer fails the service's response schema; empty when it may be passed on. */
    public List<FieldError> responseViolations(JsonNode answer) {
        return V1Schemas.violations(response, answer);
    }

    private static String path(String owner, String service) {
        if (!OWNER.matcher(owner).matches() || !NAME.matcher(service).matches()) {
            throw new IllegalArgumentException("an owner or service name is lower-case letters, digits and dashes");
        }
        return "v1/services/" + owner + "/" + service;
    }
}
