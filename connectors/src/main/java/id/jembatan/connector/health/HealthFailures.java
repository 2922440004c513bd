package id.jembatan.connector.health;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyRejectedPermanentlyException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the health agency's FHIR server answered, as the connector's failures: retry later, refused, or refused for
 * good; with the agency's OperationOutcome for the dead letter, every NIK in it masked.
 */
final class HealthFailures {

    /** Any run of 16 digits in what the agency answers is treated as a NIK and masked before it is logged. */
    private static final Pattern NIK_LIKE = Pattern.compile("(?<!\\d)\\d{16}(?!\\d)");
    /** The longest agency answer kept for a dead letter; a longer one is left out (the reason still quotes it). */
    private static final int MAX_AGENCY_RESPONSE = 16_384;

    private final String baseUrl;

    HealthFailures(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A failed request: the agency unreachable or asking to come back later, or its refusal of the event. */
    RuntimeException failure(BaseServerResponseException e, CitizenEvent event, String nik) {
        String request = event.eventType().wireName() + " of NIK " + Nik.mask(nik) + " to " + baseUrl;
        if (e instanceof FhirClientConnectionException) {
            // Refused, timed out, reset, or an answer that is not FHIR: HAPI reports all of them this way.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new AgencyUnavailableException("no usable answer from the health agency for " + request + ": "
                    + cause.getClass().getSimpleName() + " " + scrub(cause.getMessage()), e);
        }
        int status = e.getStatusCode();
        String detail = "health agency answered HTTP " + status + " to " + request + ": " + diagnostics(e);
        // 408 and 429 are the agency asking us to come back later, not a verdict on the event.
        if (status >= 500 || status == 408 || status == 429 || status < 400) {
            return new AgencyUnavailableException(detail, e);
        }
        return new AgencyRejectedException(ErrorCode.AGENCY_REJECTED, detail, agencyOutcome(e), e);
    }

    /** A batch Bundle that could not be delivered at all: the agency unreachable or asking to come back later. */
    AgencyUnavailableException batchFailure(BaseServerResponseException e, int entries) {
        String request = "a batch of " + entries + " requests to " + baseUrl;
        if (e instanceof FhirClientConnectionException) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new AgencyUnavailableException("no usable answer from the health agency for " + request + ": "
                    + cause.getClass().getSimpleName() + " " + scrub(cause.getMessage()), e);
        }
        return new AgencyUnavailableException("health agency answered HTTP " + e.getStatusCode() + " to " + request
                + ": " + diagnostics(e), e);
    }

    /** Several Patients with the NIK: a duplicate only the agency can resolve, so no retry can help. */
    AgencyRejectedPermanentlyException multipleMatches(CitizenEvent event, String nik, String how,
                                                       String agencyOutcome, Throwable cause) {
        return new AgencyRejectedPermanentlyException(ErrorCode.AGENCY_MULTIPLE_MATCHES, "the health agency at "
                + baseUrl + " holds several Patients with NIK " + Nik.mask(nik) + " (" + how + " matched more than "
                + "one): a duplicate it has to merge before " + event.eventType().wireName() + " " + event.eventId()
                + " can be delivered", agencyOutcome, cause);
    }

    /** What a search that found several Patients says, as an OperationOutcome like the one a server would send. */
    static String duplicateOutcome(String nik, Bundle bundle, List<IIdType> matches) {
        int count = Math.max(matches.size(), bundle.hasTotal() ? bundle.getTotal() : 0);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.MULTIPLEMATCHES)
                .setDiagnostics(count + " Patients have identifier " + HealthFhir.NIK_SYSTEM + "|" + Nik.mask(nik)
                        + ": " + matches.stream().map(IIdType::getValue).collect(Collectors.joining(", ")))
                .addExpression("Patient.identifier");
        return HealthFhir.context().newJsonParser().encodeResourceToString(outcome);
    }

    /** The agency's OperationOutcome as JSON with NIKs masked, for the dead letter; null if it sent none. */
    static String agencyOutcome(BaseServerResponseException e) {
        if (!(e.getOperationOutcome() instanceof OperationOutcome outcome)) {
            return null;
        }
        String json = scrub(HealthFhir.context().newJsonParser().encodeResourceToString(outcome));
        return json.length() > MAX_AGENCY_RESPONSE ? null : json;
    }

    private static String diagnostics(BaseServerResponseException e) {
        IBaseOperationOutcome baseOutcome = e.getOperationOutcome();
        if (baseOutcome instanceof OperationOutcome outcome && outcome.hasIssue()) {
            return scrub(outcome.getIssue().stream()
                    .map(issue -> (issue.hasSeverity() ? issue.getSeverity().toCode() : "issue")
                            + (issue.hasCode() ? " " + issue.getCode().toCode() : "")
                            + (issue.hasDiagnostics() ? ": " + issue.getDiagnostics() : "")
                            + (issue.hasExpression() ? " @ " + issue.getExpression().get(0).getValue() : ""))
                    .collect(Collectors.joining("; ")));
        }
        return scrub(e.getMessage());
    }

    private static String scrub(String text) {
        if (text == null) {
            return "";
        }
        return NIK_LIKE.matcher(text).replaceAll(match -> Nik.mask(match.group()));
    }
}
