package id.jembatan.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.connector.health.HealthTranslator;
import id.jembatan.notification.NotificationRouting;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.OwnerNotification;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /fhir/Patient/$report-death}: a hospital reports a death in FHIR, as it records it: a Patient with the
 * NIK as identifier and {@code deceasedDateTime} (JSON or XML). The Patient must parse strictly and pass HAPI's R4
 * validator; the health translator then makes it the bus's {@code DeathReported} notification, which goes through
 * exactly what {@code POST /api/v1/notifications} does (the access policy, the rate limit, the schema and date rules,
 * routing to the civil registry when the citizen is registered and alive, the audit): the same checks and the same
 * answer, {@code 202} with an OperationOutcome saying {@code ACCEPTED} and the notification's id. The id is derived
 * from the reporter, the NIK and the day of death, so a report sent again is the same notification, and the civil
 * registry receives it once. Refusals are OperationOutcomes with the code in {@code issue.details}, one issue per
 * finding of the validator.
 */
public class DeathReportProvider {

    /** The system of the notification id in the answer's issue. */
    public static final String NOTIFICATION_ID_SYSTEM = "https://jembatan.id/notification-id";

    private final FhirContext context;
    private final NotificationRouting routing;
    private final Clock clock;
    private final FhirReportValidator validator;
    private final HealthTranslator translator = new HealthTranslator();

    public DeathReportProvider(FhirContext context, NotificationRouting routing, Clock clock) {
        this.context = context;
        this.routing = routing;
        this.clock = clock;
        this.validator = new FhirReportValidator(context);
    }

    @Operation(name = "$report-death", type = Patient.class, idempotent = false, manualRequest = true,
            manualResponse = true)
    public void reportDeath(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof String agency)) {
            throw FhirRefusals.coded(ErrorCode.AGENCY_UNAUTHENTICATED,
                    "send the agency's API key in the X-API-Key header or its access token as Bearer");
        }
        try {
            Patient patient = parse(request);
            List<FieldError> invalid = validator.errors(patient);
            if (!invalid.isEmpty()) {
                throw JembatanException.of(invalid);
            }
            ObjectNode report = translator.fromAgency(patient, UUID.randomUUID(),
                    OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS));
            report.put("notificationId", UUID.nameUUIDFromBytes((agency + "|" + report.path("nik").asText() + "|"
                    + report.path("dateOfDeath").asText()).getBytes(StandardCharsets.UTF_8)).toString());
            OwnerNotification taken = routing.route(agency,
                    CanonicalJson.mapper().writeValueAsBytes(report));
            answerAccepted(response, taken.notificationId());
        } catch (JembatanException refused) {
            BaseServerResponseException answer = FhirRefusals.of(refused);
            if (!refused.errors().isEmpty()) {
                answer.setOperationOutcome(FhirOutcomes.of(refused));
            }
            throw answer;
        }
    }

    /** The body as a Patient, read strictly (an unknown element is an error, not ignored). */
    private Patient parse(HttpServletRequest request) throws IOException {
        EncodingEnum encoding = request.getContentType() == null ? null
                : EncodingEnum.forContentType(request.getContentType());
        if (encoding != EncodingEnum.JSON && encoding != EncodingEnum.XML) {
            throw new JembatanException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send the Patient as application/fhir+json or application/fhir+xml");
        }
        IParser parser = (encoding == EncodingEnum.JSON ? context.newJsonParser() : context.newXmlParser())
                .setParserErrorHandler(new StrictErrorHandler());
        try {
            return parser.parseResource(Patient.class, new String(request.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        } catch (DataFormatException | ClassCastException notAPatient) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.SCHEMA_VIOLATION, "Patient",
                    "the body is not a well-formed FHIR R4 Patient resource")));
        }
    }

    private void answerAccepted(HttpServletResponse response, UUID notificationId) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDetails(new CodeableConcept().addCoding(new Coding(NOTIFICATION_ID_SYSTEM,
                        notificationId.toString(), NotificationRouting.ACCEPTED)))
                .setDiagnostics(NotificationRouting.ACCEPTED + ": notification " + notificationId
                        + " taken; the civil registry confirms a death with its own event");
        byte[] body = context.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setContentType(FhirOutcomes.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
