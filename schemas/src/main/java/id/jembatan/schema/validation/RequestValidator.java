package id.jembatan.schema.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.Complaint;
import id.jembatan.schema.model.ComplaintStatusChange;
import id.jembatan.schema.model.AddressReported;
import id.jembatan.schema.model.DeathReported;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.schema.model.OwnerNotification;
import id.jembatan.schema.model.SyncRequest;
import id.jembatan.schema.model.VerificationRequest;
import id.jembatan.schema.rules.AddressRules;
import id.jembatan.schema.rules.DateRange;
import id.jembatan.schema.rules.FreeText;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.rules.RegionCodes;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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

    /** The {@code $id} of the sync job request's schema. */
    public static final String SYNC_REQUEST_SCHEMA_ID =
            EventValidator.SCHEMA_ID_PREFIX + "v1/requests/sync-request.schema.json";
    private static final String NIK_POINTER = "/nik";
    /** The maxLength of a notification's reference in death-reported.schema.json. */
    static final int REFERENCE_MAX_LENGTH = 64;
    /** The free text of a notification (the place, the reporter's own reference), held to {@link FreeText#check}. */
    private static final List<Map.Entry<String, Integer>> NOTIFICATION_TEXT = List.of(
            Map.entry("/placeOfDeath", EventValidator.NAME_MAX_LENGTH),
            Map.entry("/reference", REFERENCE_MAX_LENGTH));
    private static final String KNOWN_TYPES = Arrays.stream(NotificationType.values())
            .map(NotificationType::wireName).collect(Collectors.joining(", "));

    /** The {@code $id} of the body of {@code POST /api/v1/complaints}. */
    public static final String COMPLAINT_SCHEMA_ID =
            EventValidator.SCHEMA_ID_PREFIX + "v1/complaints/complaint.schema.json";
    /** The {@code $id} of the body of {@code POST /api/v1/complaints/{trackingNumber}/status}. */
    public static final String COMPLAINT_STATUS_CHANGE_SCHEMA_ID =
            EventValidator.SCHEMA_ID_PREFIX + "v1/complaints/complaint-status-change.schema.json";
    /** The free text of a complaint and of a status change, with its maxLength in the schemas. */
    private static final List<Map.Entry<String, Integer>> COMPLAINT_TEXT = List.of(
            Map.entry("/subject", 120), Map.entry("/text", 4000));
    private static final List<Map.Entry<String, Integer>> STATUS_CHANGE_TEXT = List.of(
            Map.entry("/resolution", 2000), Map.entry("/reason", 2000), Map.entry("/note", 2000));

    private final Clock clock;
    private final AddressRules addressRules = new AddressRules(RegionCodes.official());
    private final Schema verifyRequest;
    private final Schema syncRequest;
    private final Schema complaint;
    private final Schema complaintStatusChange;
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
        this.syncRequest = V1Schemas.load(registry, SYNC_REQUEST_SCHEMA_ID);
        this.complaint = V1Schemas.load(registry, COMPLAINT_SCHEMA_ID);
        this.complaintStatusChange = V1Schemas.load(registry, COMPLAINT_STATUS_CHANGE_SCHEMA_ID);
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
        throwIfAny(errors);
        return bind(body, VerificationRequest.class);
    }

    /**
     * Checks the body of an operator's sync job request: its schema and the structure of each NIK of a
     * {@code niks} scope ({@link Nik#check}).
     *
     * @throws JembatanException carrying every error found, the first error's code as its code
     */
    public SyncRequest sync(JsonNode body) {
        requireObject(body);
        List<FieldError> errors = V1Schemas.violations(syncRequest, body);
        JsonNode niks = body.path("scope").path("niks");
        if (errors.isEmpty() && niks.isArray()) {
            for (int i = 0; i < niks.size(); i++) {
                errors.addAll(Nik.check(niks.get(i).asText(), "/scope/niks/" + i));
            }
        }
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
        return bind(body, SyncRequest.class);
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
        throwIfAny(bodyErrors(notifications.get(type), body, NOTIFICATION_TEXT, false));
        OwnerNotification notification = bind(body, OwnerNotification.class);
        if (notification instanceof AddressReported reported) {
            throwIfAny(addressRules.check(reported.address(), "/address"));
        }
        throwIfAny(dateRules(notification));
        return notification;
    }

    /**
     * Checks a complaint the citizen portal files: its schema, the NIK's structure, its subject and text (no control,
     * format or separator characters other than line breaks and tabs in the text; lengths in UTF-16 code units), that
     * its region code exists in the official list ({@code ADDRESS_UNKNOWN_REGION_CODE}), and that
     * {@code submittedAt} is a real instant not ahead of the bus's clock by more than the allowed skew.
     *
     * @throws JembatanException carrying every error found, the first error's code as its code
     */
    public Complaint complaint(JsonNode body) {
        List<FieldError> errors = bodyErrors(complaint, body, COMPLAINT_TEXT, true);
        JsonNode region = body.at("/regionCode");
        boolean regionRefused = errors.stream().anyMatch(e -> e.pointer().equals("/regionCode"));
        if (region.isTextual() && !regionRefused && !RegionCodes.official().exists(region.textValue())) {
            errors.add(new FieldError(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, "/regionCode",
                    "regionCode " + region.textValue() + " is not in the official list of region codes"));
        }
        throwIfAny(errors);
        Complaint filed = bind(body, Complaint.class);
        List<FieldError> dateErrors = timestampRules(filed.submittedAt(), "submittedAt", clock.instant());
        throwIfAny(dateErrors);
        return filed;
    }

    /**
     * Checks a responsible agency's status change: its schema (which says which status needs which field) and its
     * free text. Whether the change is allowed from the complaint's current status is for the complaint service.
     *
     * @throws JembatanException carrying every error found, the first error's code as its code
     */
    public ComplaintStatusChange complaintStatusChange(JsonNode body) {
        throwIfAny(bodyErrors(complaintStatusChange, body, STATUS_CHANGE_TEXT, true));
        return bind(body, ComplaintStatusChange.class);
    }

    /**
     * {@link FreeText} errors of the fields at {@code pointers} the schema did not already refuse. With
     * {@code lineBreaks}, line breaks and tabs are allowed (longer texts; checked as spaces, so the positions reported
     * stay the same).
     */
    private static List<FieldError> textErrors(JsonNode body, List<Map.Entry<String, Integer>> pointers,
                                               List<FieldError> schemaErrors, boolean lineBreaks) {
        List<FieldError> errors = new ArrayList<>(0);
        for (Map.Entry<String, Integer> field : pointers) {
            String pointer = field.getKey();
            JsonNode text = body.at(pointer);
            if (text.isTextual() && schemaErrors.stream().noneMatch(e -> e.pointer().equals(pointer))) {
                String lines = !lineBreaks ? text.textValue()
                        : text.textValue().replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
                errors.addAll(FreeText.check(lines, pointer, pointer.substring(1)));
                errors.addAll(FreeText.checkLength(text.textValue(), field.getValue(), pointer, pointer.substring(1)));
            }
        }
        return errors;
    }

    /**
     * What is wrong with a body as such: not an object ({@code MALFORMED_JSON}, thrown at once), then, its strings put
     * into Unicode Normalization Form C in place, its schema, its NIK (where it has one) and its free text.
     */
    private static List<FieldError> bodyErrors(Schema schema, JsonNode body, List<Map.Entry<String, Integer>> texts,
                                                boolean lineBreaks) {
        requireObject(body);
        EventValidator.normalise(body);
        List<FieldError> errors = V1Schemas.violations(schema, body);
        checkNik(body, errors);
        errors.addAll(textErrors(body, texts, errors, lineBreaks));
        return errors;
    }

    /** Refuses the body with every error found, the first error's code as its code; nothing when there is none. */
    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
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
        List<FieldError> errors = new ArrayList<>(timestampRules(notification.reportedAt(), "reportedAt", now));
        if (notification instanceof DeathReported death) {
            errors.addAll(DateRange.checkDate(death.dateOfDeath(), "/dateOfDeath", "dateOfDeath"));
        }
        if (notification instanceof DeathReported death && death.dateOfDeath().isAfter(today)) {
            errors.add(new FieldError(ErrorCode.DATE_IN_FUTURE, "/dateOfDeath", "dateOfDeath "
                    + death.dateOfDeath() + " lies after today (" + today + " in Asia/Jakarta)"));
        }
        return errors;
    }

    /**
     * The rules of a sender's timestamp: within {@link DateRange} ({@code DATE_OUT_OF_RANGE}) and not more than
     * {@link EventValidator#ALLOWED_CLOCK_SKEW} after {@code now} ({@code DATE_IN_FUTURE}).
     */
    private static List<FieldError> timestampRules(OffsetDateTime value, String field, Instant now) {
        List<FieldError> errors = new ArrayList<>(DateRange.checkTimestamp(value, "/" + field, field));
        if (value.toInstant().isAfter(now.plus(EventValidator.ALLOWED_CLOCK_SKEW))) {
            String nowInJakarta = now.atZone(EventValidator.REGISTRY_ZONE).toOffsetDateTime()
                    .truncatedTo(ChronoUnit.SECONDS).toString();
            errors.add(new FieldError(ErrorCode.DATE_IN_FUTURE, "/" + field, field + " " + value
                    + " lies in the future (now is " + nowInJakarta + ")"));
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
