package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The published v1 JSON Schemas as the validators use them: loaded from this module's classpath (never fetched)
 * and compiled up front, their errors turned into {@code SCHEMA_VIOLATION}s at the JSON Pointer of the offending
 * value, in words an integrator can act on.
 */
final class V1Schemas {

    private static final String META_SCHEMA_PREFIX = "https://json-schema.org/draft/2020-12/";
    /** Keywords whose error is about a member of the object rather than the object: point at that member. */
    private static final Set<String> MEMBER_KEYWORDS = Set.of("required", "additionalProperties",
            "unevaluatedProperties");
    private static final Pattern DIGITS_PATTERN = Pattern.compile("\\^\\[0-9]\\{(\\d+)}\\$");

    private V1Schemas() {
    }

    /**
     * The schema with this {@code $id}, every keyword compiled and every {@code $ref} resolved now: a broken schema
     * fails the start-up, not a request.
     *
     * @throws IllegalStateException if the schema is missing from the classpath or does not compile
     */
    static Schema load(SchemaRegistry registry, String id) {
        try {
            Schema schema = registry.getSchema(SchemaLocation.of(id));
            schema.initializeValidators();
            return schema;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot load the JSON Schema " + id, e);
        }
    }

    /** Every way {@code body} fails {@code schema}, one {@code SCHEMA_VIOLATION} each; a mutable list. */
    static List<FieldError> violations(Schema schema, JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        for (Error error : schema.validate(body)) {
            errors.add(schemaViolation(error));
        }
        return errors;
    }

    private static FieldError schemaViolation(Error error) {
        String pointer = error.getInstanceLocation().toString();
        String keyword = error.getKeyword();
        String name;
        if (MEMBER_KEYWORDS.contains(keyword) && error.getProperty() != null) {
            pointer = pointer + "/" + escapePointerToken(error.getProperty());
            name = printable(error.getProperty());
        } else {
            int depth = error.getInstanceLocation().getNameCount();
            name = depth == 0 ? "body" : String.valueOf(error.getInstanceLocation().getElement(depth - 1));
        }
        return new FieldError(ErrorCode.SCHEMA_VIOLATION, pointer, name + " " + describe(error));
    }

    /** The error in words an integrator can act on, after the field's name. */
    private static String describe(Error error) {
        Object[] args = error.getArguments() == null ? new Object[0] : error.getArguments();
        JsonNode schemaValue = error.getSchemaNode();
        return switch (error.getKeyword()) {
            case "required" -> "is required";
            case "additionalProperties", "unevaluatedProperties" ->
                    "is not allowed here: the v1 schema defines no such property";
            case "type" -> args.length == 2 ? "must be of type " + args[1] + ", not " + args[0] : error.getMessage();
            case "enum" -> "must be one of " + enumValues(schemaValue);
            case "const" -> "must be " + schemaValue;
            case "minLength" -> "must have at least " + schemaValue + " characters";
            case "maxLength" -> "must have at most " + schemaValue + " characters";
            case "format" -> formatRule(args.length > 0 ? String.valueOf(args[0]) : "", error.getMessage());
            case "pattern" -> patternRule(schemaValue != null ? schemaValue.asText() : "");
            case "oneOf" -> "must match exactly one of the alternatives its schema's description names";
            default -> "does not match the schema: " + error.getMessage();
        };
    }

    private static String enumValues(JsonNode values) {
        if (values == null || !values.isArray()) {
            return String.valueOf(values);
        }
        List<String> names = new ArrayList<>(values.size());
        values.forEach(v -> names.add(v.asText()));
        return String.join(", ", names);
    }

    private static String formatRule(String format, String fallback) {
        return switch (format) {
            case "date" -> "must be a calendar date YYYY-MM-DD (RFC 3339 full-date)";
            case "date-time" -> "must be a date and time with an offset, e.g. 2026-11-20T08:15:00+07:00 (RFC 3339)";
            case "uuid" -> "must be a UUID, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e";
            default -> fallback;
        };
    }

    /** The patterns of the v1 schemas in words; any other pattern is quoted. */
    private static String patternRule(String pattern) {
        Matcher digits = DIGITS_PATTERN.matcher(pattern);
        if (digits.matches()) {
            return "must be exactly " + digits.group(1) + " digits 0-9";
        }
        if (pattern.startsWith("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")) {
            return "must be written YYYY-MM-DDThh:mm:ss[.fraction] followed by Z or an offset such as +07:00";
        }
        return switch (pattern) {
            case "\\p{L}" -> "must contain at least one letter";
            case "^\\P{Cc}*$" -> "must not contain control characters (line breaks, tabs and the like)";
            default -> "must match the pattern " + pattern;
        };
    }

    /** Echoes a member name in a message only as short printable text: names are chosen by the sender. */
    private static String printable(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        StringBuilder out = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    /** RFC 6901: '~' becomes "~0" and '/' becomes "~1" inside one reference token. */
    private static String escapePointerToken(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A registry that resolves {@code https://jembatan.id/schemas/} ids from the classpath and fetches nothing. */
    static SchemaRegistry registry() {
        return registry(Dialects.getDraft202012());
    }

    /**
     * Like {@link #registry()}, with {@code defaultDialect} for schemas that do not name theirs (those inside the
     * OpenAPI document), and the published OpenAPI document ({@code https://jembatan.id/openapi/}) resolvable too.
     */
    static SchemaRegistry registry(Dialect defaultDialect) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                // In 2020-12 "format" only annotates unless told otherwise: dates and UUIDs must be asserted.
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .preloadSchema(true)
                .cacheRefs(true)
                .build();
        // The published schemas name 2020-12; the OpenAPI document's schemas use its default dialect.
        return SchemaRegistry.withDialects(List.of(defaultDialect, Dialects.getDraft202012()), builder -> builder
                .defaultDialectId(defaultDialect.getId())
                .schemaRegistryConfig(config)
                .schemaLoader(loader -> loader
                        .fetchRemoteResources(false)
                        .allow(iri -> iri.toString().startsWith(EventValidator.SCHEMA_ID_PREFIX)
                                || iri.toString().startsWith(OpenApiContract.ID_PREFIX)
                                || iri.toString().startsWith(META_SCHEMA_PREFIX))
                        .schemaIdResolvers(ids -> ids
                                .mapPrefix(EventValidator.SCHEMA_ID_PREFIX, EventValidator.SCHEMA_CLASSPATH_PREFIX)
                                .mapPrefix(OpenApiContract.ID_PREFIX, OpenApiContract.CLASSPATH_PREFIX))));
    }

    /**
     * The value of a body's {@code type} property looked up by {@code byName}, or a rejection with {@code code} at
     * {@code /type} naming what was wrong and the known values.
     */
    static <T> T type(JsonNode body, Function<String, Optional<T>> byName, ErrorCode code, String kind,
                      String known) {
        JsonNode type = body.get("type");
        String problem;
        if (type == null) {
            problem = "type is missing";
        } else if (!type.isTextual()) {
            problem = "type must be a string";
        } else {
            Optional<T> found = byName.apply(type.textValue());
            if (found.isPresent()) {
                return found.get();
            }
            problem = "type is not a known " + kind;
        }
        throw JembatanException.of(List.of(new FieldError(code, "/type", problem + "; expected one of " + known)));
    }
}
