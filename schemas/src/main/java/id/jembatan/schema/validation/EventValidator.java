package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DivorceRegistered;
import id.jembatan.schema.model.EventType;
import id.jembatan.schema.model.MarriageRegistered;
import id.jembatan.schema.rules.AddressRules;
import id.jembatan.schema.rules.FamilyCard;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.rules.RegionCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gate every incoming citizen event passes before the bus acts on it: its {@code type}, the JSON Schema of that
 * type, then the Indonesian data rules (NIK, family card, region codes, dates), all errors of a body reported at
 * once.
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

    private static final String KNOWN_TYPES = Arrays.stream(EventType.values()).map(EventType::wireName)
            .collect(Collectors.joining(", "));

    /** The NIK and family-card fields of each type, read from the tree: reported even next to schema errors. */
    private static final Map<EventType, List<IdentifierField>> IDENTIFIERS = identifierFields();

    private final RegionCodes codes;
    private final AddressRules addressRules;
    private final Clock clock;
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
        this.clock = Objects.requireNonNull(clock, "clock");
        this.addressRules = new AddressRules(codes);
        SchemaRegistry registry = V1Schemas.registry();
        for (EventType type : EventType.values()) {
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
     *     <li>the body must match that type's JSON Schema: one {@code SCHEMA_VIOLATION} per problem, at the JSON
     *     Pointer of the offending value (for a missing or unexpected member, the pointer of that member);</li>
     *     <li>every NIK and family card number must be well-formed ({@link Nik#check}, {@link FamilyCard#check});</li>
     *     <li>if the schema matched: the NIK must agree with sex and birth date, parents and spouse must not be the
     *     citizen, address codes must exist and nest, and no date may lie after today in Asia/Jakarta
     *     ({@code occurredAt}: not more than {@link #ALLOWED_CLOCK_SKEW} after now).</li>
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
        List<FieldError> errors = V1Schemas.violations(schemas.get(type), body);
        boolean schemaMatched = errors.isEmpty();
        Set<String> rejectedBySchema = errors.stream().map(FieldError::pointer).collect(Collectors.toSet());
        for (IdentifierField field : IDENTIFIERS.get(type)) {
            if (!rejectedBySchema.contains(field.pointer())) {
                errors.addAll(field.check(body, codes));
            }
        }
        CitizenEvent event = null;
        if (schemaMatched) {
            try {
                event = CanonicalJson.toEvent(body);
                errors.addAll(recordRules(event));
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


    private List<FieldError> recordRules(CitizenEvent event) {
        Instant now = clock.instant();
        LocalDate today = now.atZone(REGISTRY_ZONE).toLocalDate();
        List<FieldError> errors = new ArrayList<>(0);
        if (event.occurredAt().toInstant().isAfter(now.plus(ALLOWED_CLOCK_SKEW))) {
            String nowInJakarta = now.atZone(REGISTRY_ZONE).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS)
                    .toString();
            errors.add(new FieldError(ErrorCode.DATE_IN_FUTURE, "/occurredAt", "occurredAt " + event.occurredAt()
                    + " lies in the future (now is " + nowInJakarta + ", and at most "
                    + ALLOWED_CLOCK_SKEW.toMinutes() + " minutes of clock skew are allowed)"));
        }
        if (event instanceof BirthRegistered birth) {
            Citizen c = birth.citizen();
            errors.addAll(Nik.checkAgainst(c.nik(), "/citizen/nik", c.sex(), c.birthDate()));
            notSelf(c.nik(), c.motherNik(), "/citizen/motherNik", ErrorCode.PARENT_IS_SELF,
                    "motherNik must be the mother's NIK, not the citizen's own", errors);
            notSelf(c.nik(), c.fatherNik(), "/citizen/fatherNik", ErrorCode.PARENT_IS_SELF,
                    "fatherNik must be the father's NIK, not the citizen's own", errors);
            notAfter(c.birthDate(), today, "/citizen/birthDate", "birthDate", errors);
            errors.addAll(addressRules.check(c.address(), "/citizen/address"));
        } else if (event instanceof DeathRegistered death) {
            notAfter(death.dateOfDeath(), today, "/dateOfDeath", "dateOfDeath", errors);
        } else if (event instanceof AddressChanged move) {
            errors.addAll(addressRules.check(move.address(), "/address"));
        } else if (event instanceof MarriageRegistered marriage) {
            notSelf(marriage.nik(), marriage.spouseNik(), "/spouseNik", ErrorCode.SPOUSE_IS_SELF,
                    "spouseNik must be the spouse's NIK, not the citizen's own", errors);
            notAfter(marriage.dateOfMarriage(), today, "/dateOfMarriage", "dateOfMarriage", errors);
        } else if (event instanceof DivorceRegistered divorce) {
            notSelf(divorce.nik(), divorce.spouseNik(), "/spouseNik", ErrorCode.SPOUSE_IS_SELF,
                    "spouseNik must be the former spouse's NIK, not the citizen's own", errors);
            notAfter(divorce.dateOfDivorce(), today, "/dateOfDivorce", "dateOfDivorce", errors);
        }
        // NameChanged: the schema has checked the name, and a NIK and a name have nothing to agree on.
        return errors;
    }

    private static void notSelf(String nik, String other, String pointer, ErrorCode code, String message,
                                List<FieldError> errors) {
        if (other != null && other.equals(nik)) {
            errors.add(new FieldError(code, pointer, message));
        }
    }

    private static void notAfter(LocalDate date, LocalDate today, String pointer, String field,
                                 List<FieldError> errors) {
        if (date != null && date.isAfter(today)) {
            errors.add(new FieldError(ErrorCode.DATE_IN_FUTURE, pointer,
                    field + " " + date + " lies after today (" + today + " in Asia/Jakarta)"));
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
