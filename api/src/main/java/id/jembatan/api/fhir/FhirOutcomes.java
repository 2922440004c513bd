package id.jembatan.api.fhir;

import id.jembatan.connector.health.HealthFhir;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Refusals under {@code /fhir} as FHIR R4 {@code OperationOutcome} resources, the form FHIR clients read errors in.
 * The stable code leads the diagnostics ({@code NIK_INVALID_DATE: ...}, as the v1 contract documents) and is the
 * issue's coded detail in the system {@link #CODE_SYSTEM}.
 */
public final class FhirOutcomes {

    /** The code system of Jembatan's error codes in {@code issue.details.coding}. */
    public static final String CODE_SYSTEM = "https://jembatan.id/problems";

    /** The media type of every refusal written here. */
    public static final String MEDIA_TYPE = "application/fhir+json;charset=UTF-8";

    private FhirOutcomes() {
    }

    /** The outcome for a refusal: one error issue, typed by the HTTP status of the code. */
    public static OperationOutcome of(ErrorCode code, String detail) {
        String text = detail == null || detail.isBlank() ? code.title() : detail;
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(issueType(code.httpStatus()))
                .setDetails(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(CODE_SYSTEM,
                        code.name(), code.title())))
                .setDiagnostics(code.name() + ": " + text);
        return outcome;
    }

    /**
     * The outcome for a refusal with field errors (a reported resource the validator refused): one error issue per
     * field error, its code in {@code details}, its location in {@code expression}.
     */
    public static OperationOutcome of(JembatanException refusal) {
        OperationOutcome outcome = new OperationOutcome();
        for (FieldError error : refusal.errors()) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(issueType(error.code().httpStatus()))
                    .setDetails(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(CODE_SYSTEM,
                            error.code().name(), error.code().title())))
                    .setDiagnostics(error.code().name() + ": " + error.message())
                    .addExpression(error.pointer());
        }
        return outcome;
    }

    /** The outcome as FHIR JSON. */
    public static String json(ErrorCode code, String detail) {
        return HealthFhir.context().newJsonParser().encodeResourceToString(of(code, detail));
    }

    /** FHIR's issue type for an HTTP status (https://hl7.org/fhir/R4/valueset-issue-type.html). */
    static IssueType issueType(int status) {
        return switch (status) {
            case 400 -> IssueType.INVALID;
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404 -> IssueType.NOTFOUND;
            case 405, 406, 415, 501, 505 -> IssueType.NOTSUPPORTED;
            case 408 -> IssueType.TIMEOUT;
            case 409 -> IssueType.CONFLICT;
            case 413 -> IssueType.TOOLONG;
            case 429 -> IssueType.THROTTLED;
            default -> status >= 500 ? IssueType.EXCEPTION : IssueType.PROCESSING;
        };
    }
}
