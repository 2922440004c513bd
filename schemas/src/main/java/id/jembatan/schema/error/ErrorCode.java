package id.jembatan.schema.error;

/**
 * Every stable error code Jembatan answers with, and the HTTP status it maps to. Agencies code against these
 * names: renaming one is a breaking change of the v1 contract.
 */
public enum ErrorCode {
    // The body as a whole.
    MALFORMED_JSON(400, "Body is not well-formed JSON"),
    JSON_LIMIT_EXCEEDED(400, "JSON nesting or string length exceeds the limits"),
    JSON_DUPLICATE_KEY(400, "A JSON object names the same member twice"),
    MALFORMED_TEXT(400, "Text is not well-formed Unicode: invalid UTF-8 or an unpaired surrogate"),
    EVENT_TYPE_UNKNOWN(400, "Unknown or missing event type"),
    SCHEMA_VIOLATION(400, "Body does not match the JSON Schema of its type"),
    // NIK and family card (KK) structure.
    NIK_INVALID_LENGTH(400, "NIK must have 16 digits"),
    NIK_INVALID_CHARACTERS(400, "NIK must contain digits only"),
    NIK_INVALID_REGION(400, "NIK region prefix is not a possible region code"),
    NIK_INVALID_DATE(400, "NIK does not encode a valid birth date"),
    NIK_INVALID_SERIAL(400, "NIK serial number must be 0001 or higher"),
    NIK_SEX_MISMATCH(400, "NIK birth day does not match the recorded sex"),
    NIK_BIRTH_DATE_MISMATCH(400, "NIK birth date does not match the recorded birth date"),
    KK_INVALID_LENGTH(400, "Family card number must have 16 digits"),
    KK_INVALID_CHARACTERS(400, "Family card number must contain digits only"),
    KK_INVALID_REGION(400, "Family card region prefix is not a possible region code"),
    KK_INVALID_DATE(400, "Family card number does not encode a valid issue date"),
    KK_INVALID_SERIAL(400, "Family card serial number must be 0001 or higher"),
    // Addresses and other content rules.
    ADDRESS_UNKNOWN_REGION_CODE(400, "Address region code does not exist"),
    ADDRESS_REGION_MISMATCH(400, "Address region codes do not nest"),
    DATE_IN_FUTURE(400, "Date lies in the future"),
    DATE_OUT_OF_RANGE(400, "Date or time offset lies outside the range the bus and every agency can carry"),
    FORBIDDEN_CHARACTER(400, "Text contains a control, format, separator, private-use or unassigned character"),
    TEXT_TOO_LONG(400, "Text is longer than its limit counted in UTF-16 code units (an emoji counts as two)"),
    SPOUSE_IS_SELF(400, "A citizen cannot marry or divorce themselves"),
    PARENT_IS_SELF(400, "A citizen cannot be their own parent"),
    PARENT_SEX_MISMATCH(400, "A mother's NIK must encode a woman and a father's NIK a man"),
    // Conflicts with what the master citizen index already holds.
    EVENT_ID_CONFLICT(409, "Event id already used for another event"),
    CITIZEN_ALREADY_REGISTERED(409, "A citizen with this NIK is already registered"),
    CITIZEN_UNKNOWN(409, "No citizen with this NIK is registered"),
    CITIZEN_DECEASED(409, "The citizen is registered as deceased"),
    CITIZEN_ALREADY_DECEASED(409, "The death of this citizen is already registered"),
    CITIZEN_ALREADY_MARRIED(409, "The citizen is already married"),
    CITIZEN_NOT_MARRIED_TO_SPOUSE(409, "The citizen is not married to this spouse"),
    EVENT_BEFORE_BIRTH(409, "The event date lies before the citizen's birth"),
    SPOUSE_UNKNOWN(409, "No citizen with the spouse's NIK is registered"),
    SPOUSE_DECEASED(409, "The spouse is registered as deceased"),
    MARRIAGE_BELOW_MINIMUM_AGE(409, "A spouse is younger than the minimum age for marriage"),
    // Protocol and access.
    REQUEST_MALFORMED(400, "The request is not well-formed HTTP"),
    REQUEST_TIMEOUT(408, "The request did not arrive in time"),
    AGENCY_UNAUTHENTICATED(401, "Missing or unknown API key"),
    PURPOSE_REQUIRED(400, "A lookup must declare its purpose"),
    PURPOSE_UNKNOWN(400, "The declared purpose is not one the access policy knows"),
    INVALID_QUERY_PARAMETER(400, "A query parameter is malformed or out of range"),
    NOT_OWNER(403, "Only the owner agency may send this"),
    SENDER_IS_OWNER(403, "The owner records this fact with its own event, not with a notification"),
    OPERATOR_ONLY(403, "Only operators may use this"),
    POLICY_DENIED(403, "The access policy does not allow this"),
    CITIZEN_NOT_FOUND(404, "No citizen with this NIK"),
    RESOURCE_NOT_FOUND(404, "No such resource"),
    METHOD_NOT_ALLOWED(405, "Method not allowed on this resource"),
    NOT_ACCEPTABLE(406, "Cannot answer in the requested media type"),
    PAYLOAD_TOO_LARGE(413, "Body exceeds the size limit"),
    UNSUPPORTED_MEDIA_TYPE(415, "Content type not supported"),
    RATE_LIMITED(429, "Too many requests; retry after the time given in Retry-After"),
    INTERNAL_ERROR(500, "Internal error"),
    NOT_IMPLEMENTED(501, "The bus does not implement this method or transfer coding"),
    HTTP_VERSION_NOT_SUPPORTED(505, "HTTP version not supported"),
    // Delivery to agencies (dead-letter codes; the HTTP status says which side failed).
    AGENCY_REJECTED(502, "The agency refused the delivery"),
    AGENCY_MULTIPLE_MATCHES(502, "The agency holds several records for the citizen; they must be merged there"),
    AGENCY_UNAVAILABLE(503, "The agency could not be reached"),
    TRANSLATION_FAILED(500, "The event could not be put into the agency's format"),
    SERVICE_UNAVAILABLE(503, "A dependency of the bus is unavailable"),
    // FHIR Bulk Data export ($export).
    RESPOND_ASYNC_REQUIRED(400, "A bulk export runs asynchronously: send the header Prefer: respond-async"),
    EXPORT_INTERRUPTED(500, "The bulk export was interrupted by a restart of the bus; kick off a new one"),
    // Owner services (POST /api/v1/services/{owner}/{service}) and the legacy NPWP.
    OWNER_SERVICE_NOT_FOUND(404, "No such owner service"),
    OWNER_UNAVAILABLE(503, "The owner of the service could not be reached; retry after the time given in Retry-After"),
    OWNER_TIMEOUT(504, "The owner of the service did not answer in time; retry after the time given in Retry-After"),
    OWNER_ANSWER_INVALID(502, "The owner's answer does not match the service's schema"),
    NPWP_INVALID_FORMAT(400, "A legacy NPWP has 15 digits, written XX.XXX.XXX.X-XXX.XXX or as digits only"),
    NPWP_INVALID_CHECK_DIGIT(400, "The check digit of the legacy NPWP (its ninth digit) is wrong"),
    // Complaints (issue 22).
    COMPLAINT_NOT_FOUND(404, "No complaint with this tracking number"),
    COMPLAINT_ID_CONFLICT(409, "Complaint id already used for another complaint"),
    COMPLAINT_NOT_ROUTED_TO_AGENCY(403, "Only the agency the complaint is routed to may change its status"),
    COMPLAINT_TRANSITION_INVALID(409, "The complaint cannot move from its current status to this one"),
    COMPLAINT_CATEGORY_UNKNOWN(400, "The complaint's category is not one the bus routes"),
    COMPLAINT_FORWARD_INVALID(400, "A complaint can only be forwarded to another agency that receives complaints"),
    // Operators' decisions about an agency.
    AGENCY_SUSPENDED(403, "The agency is suspended by an operator");

    private final int httpStatus;
    private final String title;

    ErrorCode(int httpStatus, String title) {
        this.httpStatus = httpStatus;
        this.title = title;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** A short, stable, human-readable summary; the detail of a problem says what exactly was wrong. */
    public String title() {
        return title;
    }
}
