package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.EventType;
import id.jembatan.schema.rules.AddressRules;
import id.jembatan.schema.rules.DateRange;
import id.jembatan.schema.rules.FamilyCard;
import id.jembatan.schema.rules.FreeText;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.rules.RegionCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gate every incoming citizen event passes before the bus acts on it: its {@code type}, the JSON Schema of that
 * type, then the Indonesian data rules (NIK, family card, region codes, dates) and the rules that keep what the bus
 * accepts carriable by every agency (dates and offsets in range, free text without invisible or direction-changing
 * characters), all errors of a body reported at once.
 *
 * <p>Build one per application and share it: it is immutable and thread-safe. The schemas are read from this
 * module's classpath ({@code schemas/v1/...}, which is where their {@code https://jembatan.id/schemas/} ids point)
 * and compiled when the validator is constructed; nothing is ever fetched over the network.
 */
public final class EventValidator {

    /** The prefix of every Jembatan schema id; served over HTTP under {@code /schemas/}. */
    public static final String SCHEMA_ID_PREFIX = "https://jembatan.id/schemas/";
    /** Where the schemas behind {@link #SCHEMA_ID_PREFIX} live on the classpath. */
    public static final String SCHEMA_CLASSPATH_PREFIX = "classpath:schemas/";
    /** Dates of events are civil-registry dates, kept in western Indonesian time. */
    public static final ZoneId REGISTRY_ZONE = ZoneId.of("Asia/Jakarta");
    /** How far {@code occurredAt} may lie ahead of the bus's clock, for clocks that drift apart. */
    public static final Duration ALLOWED_CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(EventValidator.class);

    private static final String KNOWN_TYPES = EventType.lifeEvents().stream().map(EventType::wireName)
            .collect(Collectors.joining(", "));

    /** The NIK and family-card fields of each type, read from the tree: reported even next to schema errors. */
    private static final Map<EventType, List<IdentifierField>> IDENTIFIERS = identifierFields();
    /**
     * The free-text fields (names, places, addresses) of each type by JSON Pointer, with the schema's maxLength of
     * each: held to {@link FreeText#check} and {@link FreeText#checkLength}.
     */
    private static final Map<EventType, Map<String, Integer>> FREE_TEXT = freeTextFields();

    private final RegionCodes codes;
    private final EventRules rules;
    private final Map<EventType, Schema> schemas = new EnumMap<>(EventType.class);

    /**
     * Loads and compiles the v1 schema of every event type.
     *
     * @param codes the region codes addresses are checked against ({@link RegionCodes#official()} in production)
     * @param clock what "today" and "now" are for the future-date rules; today is taken in Asia/Jakarta
     * @throws IllegalStateException if a schema is missing from the classpath or does not compile
     */
    public EventValidator(RegionCodes codes, Clock clock) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.rules = new EventRules(new AddressRules(codes), Objects.requireNonNull(clock, "clock"));
        SchemaRegistry registry = V1Schemas.registry();
        for (EventType type : EventType.lifeEvents()) {
            schemas.put(type, V1Schemas.load(registry, schemaId(type)));
        }
    }

    /**
     * The {@code $id} of the v1 schema of {@code type}, e.g.
     * {@code https://jembatan.id/schemas/v1/events/birth-registered.schema.json}.
     */
    public static String schemaId(EventType type) {
        return SCHEMA_ID_PREFIX + "v1/events/" + type.schemaName() + ".schema.json";
    }

    /**
     * Checks a parsed body (see {@link CanonicalJson#readBody}) and binds it to its event.
     *
     * <ol>
     *     <li>{@code type} must name an event type, else {@code EVENT_TYPE_UNKNOWN} at {@code /type} at once;</li>
     *     <li>every string of the body is put into Unicode Normalization Form C, in place ({@link FreeText#nfc}):
     *     what is checked next, digested, stored and published is the normalised text;</li>
     *     <li>the body must match that type's JSON Schema: one {@code SCHEMA_VIOLATION} per problem, at the JSON
     *     Pointer of the offending value (for a missing or unexpected member, the pointer of that member); lengths
     *     are counted in code points of the normalised text;</li>
     *     <li>every NIK and family card number must be well-formed ({@link Nik#check}, {@link FamilyCard#check}),
     *     and names, places and addresses free of forbidden characters ({@link FreeText#check},
     *     {@code FORBIDDEN_CHARACTER}) and within their maxLength counted in UTF-16 code units too
     *     ({@link FreeText#checkLength}, {@code TEXT_TOO_LONG});</li>
     *     <li>if the schema matched: the NIK must agree with sex and birth date, a mother's NIK must encode a woman
     *     and a father's a man ({@code PARENT_SEX_MISMATCH}), parents and spouse must not be the citizen, address
     *     codes must exist and nest, no date may lie after today in Asia/Jakarta ({@code occurredAt}: not more than
     *     {@link #ALLOWED_CLOCK_SKEW} after now), and every date and offset must lie in {@link DateRange}
     *     ({@code DATE_OUT_OF_RANGE}).</li>
     * </ol>
     *
     * @return the typed event when nothing is wrong
     * @throws JembatanException carrying every error found, the first error's code as its code
     */
    public CitizenEvent validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.MALFORMED_JSON, "",
                    "Body must be a JSON object")));
        }
        EventType type = eventType(body);
        normalise(body);
        List<FieldError> errors = V1Schemas.violations(schemas.get(type), body);
        boolean schemaMatched = errors.isEmpty();
        Set<String> rejectedBySchema = errors.stream().map(FieldError::pointer).collect(Collectors.toSet());
        for (IdentifierField field : IDENTIFIERS.get(type)) {
            if (!rejectedBySchema.contains(field.pointer())) {
                errors.addAll(field.check(body, codes));
            }
        }
        FREE_TEXT.get(type).forEach((pointer, maxLength) -> {
            JsonNode text = body.at(pointer);
            if (text.isTextual() && !rejectedBySchema.contains(pointer)) {
                String field = pointer.substring(pointer.lastIndexOf('/') + 1);
                errors.addAll(FreeText.check(text.textValue(), pointer, field));
                errors.addAll(FreeText.checkLength(text.textValue(), maxLength, pointer, field));
            }
        });
        CitizenEvent event = null;
        if (schemaMatched) {
            try {
                event = CanonicalJson.toEvent(body);
                errors.addAll(rules.check(event));
            } catch (JembatanException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
        return event;
    }

    private static EventType eventType(JsonNode body) {
        return V1Schemas.type(body, EventType::fromWireName, ErrorCode.EVENT_TYPE_UNKNOWN, "event type", KNOWN_TYPES);
    }

    /** Every string value of the tree in NFC, replaced in place where it was not. */
    static void normalise(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                JsonNode value = member.getValue();
                if (value.isTextual()) {
                    String normalised = FreeText.nfc(value.textValue());
                    if (!normalised.equals(value.textValue())) {
                        member.setValue(TextNode.valueOf(normalised));
                    }
                } else {
                    normalise(value);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(EventValidator::normalise);
        }
    }

    private static Map<EventType, List<IdentifierField>> identifierFields() {
        IdentifierField nik = new IdentifierField("/nik", false);
        IdentifierField spouseNik = new IdentifierField("/spouseNik", false);
        Map<EventType, List<IdentifierField>> fields = new EnumMap<>(EventType.class);
        fields.put(EventType.BIRTH_REGISTERED, List.of(
                new IdentifierField("/citizen/nik", false),
                new IdentifierField("/citizen/familyCardNumber", true),
                new IdentifierField("/citizen/motherNik", false),
                new IdentifierField("/citizen/fatherNik", false)));
        fields.put(EventType.DEATH_REGISTERED, List.of(nik));
        fields.put(EventType.ADDRESS_CHANGED, List.of(nik));
        fields.put(EventType.NAME_CHANGED, List.of(nik));
        fields.put(EventType.MARRIAGE_REGISTERED, List.of(nik, spouseNik));
        fields.put(EventType.DIVORCE_REGISTERED, List.of(nik, spouseNik));
        return fields;
    }

    /** The maxLength of common.schema.json for each kind of text (a test holds them to the schema). */
    static final int NAME_MAX_LENGTH = 100;
    static final int STREET_MAX_LENGTH = 200;

    private static Map<EventType, Map<String, Integer>> freeTextFields() {
        Map<String, Integer> birth = new LinkedHashMap<>();
        birth.put("/citizen/fullName", NAME_MAX_LENGTH);
        birth.put("/citizen/birthPlace", NAME_MAX_LENGTH);
        birth.put("/citizen/occupation", NAME_MAX_LENGTH);
        birth.putAll(addressText("/citizen/address"));
        Map<EventType, Map<String, Integer>> fields = new EnumMap<>(EventType.class);
        fields.put(EventType.BIRTH_REGISTERED, Collections.unmodifiableMap(birth));
        fields.put(EventType.DEATH_REGISTERED, Map.of("/placeOfDeath", NAME_MAX_LENGTH));
        fields.put(EventType.ADDRESS_CHANGED, addressText("/address"));
        fields.put(EventType.NAME_CHANGED, Map.of("/fullName", NAME_MAX_LENGTH));
        fields.put(EventType.MARRIAGE_REGISTERED, Map.of());
        fields.put(EventType.DIVORCE_REGISTERED, Map.of());
        return fields;
    }

    private static Map<String, Integer> addressText(String address) {
        Map<String, Integer> fields = new LinkedHashMap<>();
        fields.put(address + "/street", STREET_MAX_LENGTH);
        for (String region : List.of("village", "district", "regency", "province")) {
            fields.put(address + "/" + region, NAME_MAX_LENGTH);
        }
        return Collections.unmodifiableMap(fields);
    }

    /** A NIK or family-card field of a body, at a JSON Pointer. */
    private record IdentifierField(String pointer, boolean familyCard) {

        /**
         * The structural errors of the field if it holds a string (absent, null and non-string values are the
         * schema's to report). A well-formed number whose district is not in the region codes is accepted with a
         * warning: numbers keep the district of first registration, which later splits may have retired.
         */
        List<FieldError> check(JsonNode body, RegionCodes codes) {
            JsonNode node = body.at(pointer);
            if (!node.isTextual()) {
                return List.of();
            }
            String value = node.textValue();
            List<FieldError> errors = familyCard ? FamilyCard.check(value, pointer) : Nik.check(value, pointer);
            boolean known = familyCard ? FamilyCard.hasKnownRegion(value, codes) : Nik.hasKnownRegion(value, codes);
            if (errors.isEmpty() && !known) {
                LOG.warn("{} {} at {} has a district prefix that is not in the region codes; accepted as a code"
                        + " retired after the number was issued", familyCard ? "Family card number" : "NIK",
                        Nik.mask(value), pointer);
            }
            return errors;
        }
    }
}
