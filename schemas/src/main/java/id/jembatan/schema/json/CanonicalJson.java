package id.jembatan.schema.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.OwnerNotification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical JSON form of events and notifications: how bodies are read (with depth and size limits), how they
 * are written to the broker, and the digest that tells a repeated event from a conflicting one.
 */
public final class CanonicalJson {

    /** Deepest nesting a v1 body needs is 3; anything far deeper is an attack or a bug. */
    public static final int MAX_NESTING_DEPTH = 16;
    public static final int MAX_STRING_LENGTH = 16 * 1024;
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Keep the sender's offset (+07:00) instead of converting to UTC.
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // An absent optional field is left out, not written as null.
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private static final ObjectMapper SORTED = MAPPER.copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    static {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build();
        MAPPER.getFactory().setStreamReadConstraints(limits);
        SORTED.getFactory().setStreamReadConstraints(limits);
    }

    private CanonicalJson() {
    }

    /** The shared, configured mapper (thread-safe; do not reconfigure). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a request body. Malformed JSON, a body that is not an object, or one past the limits is rejected with
     * {@link ErrorCode#MALFORMED_JSON} or {@link ErrorCode#JSON_LIMIT_EXCEEDED}, in words of our own: the parser's
     * messages name its classes and settings.
     */
    public static JsonNode readBody(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw reject(ErrorCode.JSON_LIMIT_EXCEEDED, limitExceeded(e) + where(e));
        } catch (JsonProcessingException e) {
            throw reject(ErrorCode.MALFORMED_JSON, "Body is not well-formed JSON" + where(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            throw reject(ErrorCode.MALFORMED_JSON, "Body is empty");
        }
        if (!node.isObject()) {
            throw reject(ErrorCode.MALFORMED_JSON, "Body must be a JSON object");
        }
        return node;
    }

    private static JembatanException reject(ErrorCode code, String message) {
        return JembatanException.of(List.of(new FieldError(code, "", message)));
    }

    /** Which limit the body went past, from the parser's message (which names its own settings class). */
    private static String limitExceeded(StreamConstraintsException e) {
        String original = String.valueOf(e.getOriginalMessage());
        if (original.contains("nesting depth")) {
            return "Body nests deeper than " + MAX_NESTING_DEPTH + " levels";
        }
        if (original.contains("String value length")) {
            return "A string in the body is longer than " + MAX_STRING_LENGTH + " characters";
        }
        if (original.contains("Number value length")) {
            return "A number in the body is longer than " + MAX_NUMBER_LENGTH + " digits";
        }
        return "Body exceeds the JSON limits (nesting " + MAX_NESTING_DEPTH + " levels, strings "
                + MAX_STRING_LENGTH + " characters, numbers " + MAX_NUMBER_LENGTH + " digits)";
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /**
     * A body its schema accepted that still cannot be bound to its record: a gap between the two. Answered with the
     * JSON Pointer of the value, never with the binder's message, which names the record's Java classes.
     */
    public static JembatanException unbindable(JsonProcessingException e) {
        StringBuilder pointer = new StringBuilder();
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                pointer.append('/').append(ref.getFieldName() != null
                        ? ref.getFieldName().replace("~", "~0").replace("/", "~1") : ref.getIndex());
            }
        }
        return JembatanException.of(List.of(new FieldError(ErrorCode.SCHEMA_VIOLATION, pointer.toString(),
                (pointer.isEmpty() ? "body" : pointer.toString()) + " does not match the v1 schema of its type")));
    }

    /** Binds an already validated tree to its event record. */
    public static CitizenEvent toEvent(JsonNode node) {
        try {
            return MAPPER.treeToValue(node, CitizenEvent.class);
        } catch (JsonProcessingException e) {
            throw unbindable(e);
        }
    }

    /** The event as the bus publishes it: compact JSON, the {@code type} property first. */
    public static String write(CitizenEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    /** A notification to the owner as the bus routes it: compact JSON, the {@code type} property first. */
    public static String write(OwnerNotification notification) {
        try {
            return MAPPER.writeValueAsString(notification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + notification.getClass().getSimpleName(), e);
        }
    }

    public static CitizenEvent readEvent(String json) {
        try {
            return MAPPER.readValue(json, CitizenEvent.class);
        } catch (JsonMappingException e) {
            throw unbindable(e);
        } catch (JsonProcessingException e) {
            throw reject(ErrorCode.MALFORMED_JSON, "Not well-formed JSON" + where(e));
        }
    }

    /**
     * SHA-256 (hex) of the tree with object keys sorted and insignificant white space removed: the same event sent
     * twice with other formatting or key order has the same digest.
     */
    public static String digest(JsonNode node) {
        try {
            Object generic = SORTED.treeToValue(node, Object.class);
            byte[] canonical = SORTED.writeValueAsString(generic).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot canonicalise", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }
}
