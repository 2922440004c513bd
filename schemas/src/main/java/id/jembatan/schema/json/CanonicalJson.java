package id.jembatan.schema.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
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
import id.jembatan.schema.rules.FreeText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form of events and notifications: how bodies are read (strict UTF-8, no duplicate member
 * names, no unpaired surrogates, within depth and size limits), how they are written to the broker, and the digest
 * that tells a repeated event from a conflicting one.
 */
public final class CanonicalJson {

    /** Deepest nesting a v1 body needs is 3; anything far deeper is an attack or a bug. */
    public static final int MAX_NESTING_DEPTH = 16;
    public static final int MAX_STRING_LENGTH = 16 * 1024;
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final String DUPLICATE_FIELD = "Duplicate field '";
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // {"fullName": "A", "fullName": "B"} would otherwise be read as "B" by us and as "A" by other parsers.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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
     * Parses a request body, refusing what the agencies' formats could not carry alike:
     * <ul>
     *     <li>bytes that are not well-formed UTF-8 (RFC 8259 requires it; overlong forms such as {@code C0 AF},
     *     encoded surrogates, stray continuation bytes): {@link ErrorCode#MALFORMED_TEXT} at the byte offset. A
     *     leading byte order mark is ignored, as RFC 8259 allows;</li>
     *     <li>an escape that leaves a surrogate unpaired ({@code "\ud800"}), in a value or a member name:
     *     {@link ErrorCode#MALFORMED_TEXT} at its JSON Pointer;</li>
     *     <li>a member name twice in one object: {@link ErrorCode#JSON_DUPLICATE_KEY} at its JSON Pointer (parsers
     *     disagree on which of the two counts);</li>
     *     <li>malformed JSON, a body that is not an object, or one past the limits: {@link ErrorCode#MALFORMED_JSON}
     *     or {@link ErrorCode#JSON_LIMIT_EXCEEDED}.</li>
     * </ul>
     */
    public static JsonNode readBody(byte[] body) {
        String text = utf8(body);
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw reject(ErrorCode.JSON_LIMIT_EXCEEDED, limitExceeded(e) + where(e));
        } catch (JsonParseException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith(DUPLICATE_FIELD)) {
                // The parser stands on the second occurrence: its path is the member's pointer.
                JsonParser parser = e.getProcessor();
                String pointer = parser == null ? "" : parser.getParsingContext().pathAsPointer().toString();
                throw JembatanException.of(List.of(new FieldError(ErrorCode.JSON_DUPLICATE_KEY, pointer,
                        "this member appears more than once in its object; each member may appear once")));
            }
            throw malformed(e);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            throw reject(ErrorCode.MALFORMED_JSON, "Body is empty");
        }
        if (!node.isObject()) {
            throw reject(ErrorCode.MALFORMED_JSON, "Body must be a JSON object");
        }
        List<FieldError> unpaired = new ArrayList<>(0);
        findUnpairedSurrogates(node, "", unpaired);
        if (!unpaired.isEmpty()) {
            throw JembatanException.of(unpaired);
        }
        return node;
    }

    /** In words of our own: the parser's messages name its classes and settings. */
    private static JembatanException malformed(JsonProcessingException e) {
        return reject(ErrorCode.MALFORMED_JSON, "Body is not well-formed JSON" + where(e));
    }

    /** The body decoded as strict UTF-8 (a malformed sequence is refused, never replaced), without a leading BOM. */
    private static String utf8(byte[] body) {
        int start = startsWithBom(body) ? UTF8_BOM.length : 0;
        ByteBuffer in = ByteBuffer.wrap(body, start, body.length - start);
        // UTF-8 never decodes to more UTF-16 units than it has bytes.
        CharBuffer out = CharBuffer.allocate(body.length - start);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw reject(ErrorCode.MALFORMED_TEXT, "Body is not well-formed UTF-8: invalid byte sequence at byte "
                    + in.position() + " (an overlong form, an encoded surrogate, or a byte that cannot start or"
                    + " continue a character); send JSON encoded as UTF-8");
        }
        return out.flip().toString();
    }

    private static boolean startsWithBom(byte[] body) {
        return body.length >= UTF8_BOM.length && body[0] == UTF8_BOM[0] && body[1] == UTF8_BOM[1]
                && body[2] == UTF8_BOM[2];
    }

    /** An unpaired surrogate in any string value or member name, each as MALFORMED_TEXT at its JSON Pointer. */
    private static void findUnpairedSurrogates(JsonNode node, String pointer, List<FieldError> errors) {
        if (node.isTextual()) {
            checkWellFormed(node.textValue(), pointer, "the value", errors);
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                String memberPointer = pointer + "/" + member.getKey().replace("~", "~0").replace("/", "~1");
                checkWellFormed(member.getKey(), memberPointer, "the member name", errors);
                findUnpairedSurrogates(member.getValue(), memberPointer, errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findUnpairedSurrogates(node.get(i), pointer + "/" + i, errors);
            }
        }
    }

    private static void checkWellFormed(String text, String pointer, String what, List<FieldError> errors) {
        int at = FreeText.firstUnpairedSurrogate(text);
        if (at >= 0) {
            errors.add(new FieldError(ErrorCode.MALFORMED_TEXT, pointer, String.format(
                    "%s has an unpaired surrogate (U+%04X) at UTF-16 unit %d: the text is not well-formed Unicode",
                    what, (int) text.charAt(at), at + 1)));
        }
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
