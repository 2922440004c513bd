package id.jembatan.schema.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.AddressReported;
import id.jembatan.schema.model.DeathReported;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.schema.model.OwnerNotification;
import id.jembatan.schema.model.VerificationRequest;
import id.jembatan.schema.rules.AddressRules;
import id.jembatan.schema.rules.DateRange;
import id.jembatan.schema.rules.FreeText;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.rules.RegionCodes;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The gate for the v1 request bodies that are not life events: identity verification requests and notifications to
 * the owner. Each body passes its JSON Schema, then the NIK rules ({@link Nik#check}, reported even next to schema
 * errors, with the precise {@code NIK_*} code), then its date rules; all errors of a body are reported at once.
 *
 * <p>Build one per application and share it: it is immutable and thread-safe. Like {@link EventValidator}, it reads
 * the schemas from this module's classpath and compiles them when constructed; nothing is fetched over the network.
 */
public final class RequestValidator {

    /** The {@code $id} of the body of {@code POST /api/v1/citizens/verify}. */
    public static final String VERIFY_REQUEST_SCHEMA_ID =
            EventValidator.SCHEMA_ID_PREFIX + "v1/requests/verify-request.schema.json";

    private static final String NIK_POINTER = "/nik";
    /** The maxLength of a notification's reference in death-reported.schema.json. */
    static final int REFERENCE_MAX_LENGTH = 64;
    /** The free text of a notification (the place, the reporter's own reference), held to {@link FreeText#check}. */
    private static final List<Map.Entry<String, Integer>> NOTIFICATION_TEXT = List.of(
            Map.entry("/placeOfDeath", EventValidator.NAME_MAX_LENGTH),
            Map.entry("/reference", REFERENCE_MAX_LENGTH));
    private static final String KNOWN_TYPES = Arrays.stream(NotificationType.values())
            .map(NotificationType::wireName).collect(Collectors.joining(", "));

    private final Clock clock;
    private final AddressRules addressRules = new AddressRules(RegionCodes.official());
    private final Schema verifyRequest;
    private final Map<NotificationType, Schema> notifications = new EnumMap<>(NotificationType.class);

    /**
     * Loads and compiles the verification request schema and the schema of every notification type.
     *
     * @param clock what "today" and "now" are for the future-date rules; today is taken in Asia/Jakarta
     * @throws IllegalStateException if a schema is missing from the classpath or does not compile
     */
    public RequestValidator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        SchemaRegistry registry = V1Schemas.registry();
        this.verifyRequest = V1Schemas.load(registry, VERIFY_REQUEST_SCHEMA_ID);
        for (NotificationType type : NotificationType.values()) {
            notifications.put(type, V1Schemas.load(registry, schemaId(type)));
        }
    }

    /**
     * The {@code $id} of the v1 schema of a notification type, e.g.
     * {@code https://jembatan.id/schemas/v1/notifications/death-reported.schema.json}.
     */
    public static String schemaId(NotificationType type) {
        return EventValidator.SCHEMA_ID_PREFIX + "v1/notifications/" + type.schemaName() + ".schema.json";
    }

    /**
     * Checks the body of an identity verification request (see {@link CanonicalJson#readBody}): its schema and the
     * structure of its NIK. Whether the NIK agrees with the birth date is not a rule here: a request whose data do not
     * agree simply does not match.
     *
     * @throws JembatanException carrying every error found, the first error's code as its code
     */
    public VerificationRequest verification(JsonNode body) {
        requireObject(body);
        List<FieldError> errors = V1Schemas.violations(verifyRequest, body);
        checkNik(body, errors);
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
        return bind(body, VerificationRequest.class);
    }

    /**
     * Checks the body of a notification to the owner and binds it to its record.
     *
     * <ol>
     *     <li>{@code type} must name a notification type, else {@code SCHEMA_VIOLATION} at {@code /type} at once;</li>
     *     <li>its strings are put into Unicode Normalization Form C, in place, as for events;</li>
     *     <li>the body must match that type's JSON Schema, its NIK must be well-formed ({@link Nik#check}), and its
     *     place and reference free of forbidden characters and within their length in UTF-16 code units
     *     ({@link FreeText#check}, {@link FreeText#checkLength});</li>
     *     <li>if the schema matched: no date may lie after today in Asia/Jakarta, and {@code reportedAt} not more than
     *     {@link EventValidator#ALLOWED_CLOCK_SKEW} after now ({@code DATE_IN_FUTURE}); dates and offsets must lie
     *     in {@link DateRange} ({@code DATE_OUT_OF_RANGE}); a reported address's region codes must exist and nest
     *     ({@link AddressRules}).</li>
     * </ol>
     *
     * @throws JembatanException carrying every error found, the first error's code as its code
     */
    public OwnerNotification notification(JsonNode body) {
        requireObject(body);
        NotificationType type = notificationType(body);
        EventValidator.normalise(body);
        List<FieldError> errors = V1Schemas.violations(notifications.get(type), body);
        checkNik(body, errors);
        List<FieldError> textErrors = new ArrayList<>(0);
        for (Map.Entry<String, Integer> field : NOTIFICATION_TEXT) {
            String pointer = field.getKey();
            int maxLength = field.getValue();
            JsonNode text = body.at(pointer);
            boolean rejectedBySchema = errors.stream().anyMatch(e -> e.pointer().equals(pointer));
            if (text.isTextual() && !rejectedBySchema) {
                textErrors.addAll(FreeText.check(text.textValue(), pointer, pointer.substring(1)));
                textErrors.addAll(FreeText.checkLength(text.textValue(), maxLength, pointer, pointer.substring(1)));
            }
        }
        errors.addAll(textErrors);
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
        OwnerNotification notification = bind(body, OwnerNotification.class);
        if (notification instanceof AddressReported reported) {
            List<FieldError> addressErrors = addressRules.check(reported.address(), "/address");
            if (!addressErrors.isEmpty()) {
                throw JembatanException.of(addressErrors);
            }
        }
        List<FieldError> ruleErrors = dateRules(notification);
        if (!ruleErrors.isEmpty()) {
            throw JembatanException.of(ruleErrors);
        }
        return notification;
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.MALFORMED_JSON, "",
                    "Body must be a JSON object")));
        }
    }

    private static NotificationType notificationType(JsonNode body) {
        return V1Schemas.type(body, NotificationType::fromWireName, ErrorCode.SCHEMA_VIOLATION, "notification type", KNOWN_TYPES);
    }


    /** The NIK's structural errors, unless the schema already refused the value (absent, not a string, too long). */
    private static void checkNik(JsonNode body, List<FieldError> errors) {
        JsonNode nik = body.at(NIK_POINTER);
        boolean rejectedBySchema = errors.stream().anyMatch(e -> e.pointer().equals(NIK_POINTER));
        if (nik.isTextual() && !rejectedBySchema) {
            errors.addAll(Nik.check(nik.textValue(), NIK_POINTER));
        }
    }

    private List<FieldError> dateRules(OwnerNotification notification) {
        Instant now = clock.instant();
        LocalDate today = now.atZone(EventValidator.REGISTRY_ZONE).toLocalDate();
        List<FieldError> errors = new ArrayList<>(0);
        errors.addAll(DateRange.checkTimestamp(notification.reportedAt(), "/reportedAt", "reportedAt"));
        if (notification instanceof DeathReported death) {
            errors.addAll(DateRange.checkDate(death.dateOfDeath(), "/dateOfDeath", "dateOfDeath"));
        }
        if (notification.reportedAt().toInstant().isAfter(now.plus(EventValidator.ALLOWED_CLOCK_SKEW))) {
            String nowInJakarta = now.atZone(EventValidator.REGISTRY_ZONE).toOffsetDateTime()
                    .truncatedTo(ChronoUnit.SECONDS).toString();
            errors.add(new FieldError(ErrorCode.DATE_IN_FUTURE, "/reportedAt", "reportedAt "
                    + notification.reportedAt() + " lies in the future (now is " + nowInJakarta + ")"));
        }
        if (notification instanceof DeathReported death && death.dateOfDeath().isAfter(today)) {
            errors.add(new FieldError(ErrorCode.DATE_IN_FUTURE, "/dateOfDeath", "dateOfDeath "
                    + death.dateOfDeath() + " lies after today (" + today + " in Asia/Jakarta)"));
        }
        return errors;
    }

    /** Binds a body its schema accepted; schema and record agree, so a failure here would be a gap between them. */
    private static <T> T bind(JsonNode body, Class<T> type) {
        try {
            return CanonicalJson.mapper().treeToValue(body, type);
        } catch (JsonProcessingException e) {
            throw CanonicalJson.unbindable(e);
        }
    }
}
