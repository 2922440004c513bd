package id.jembatan.api.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import id.jembatan.quota.RateLimitedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FhirRefusalsTest {

    private final FhirRefusals refusals = new FhirRefusals();

    /**
     * A database failure on its way out of the FHIR server, as HAPI wraps it (the message naming the column, the
     * SQL and the database). Result: 500 {@code INTERNAL_ERROR} and nothing of the cause.
     */
    @Test
    void anUnexpectedFailureNamesNothingOfItsCause() {
        DataIntegrityViolationException cause = new DataIntegrityViolationException("PreparedStatementCallback; SQL"
                + " [INSERT INTO audit_entry ...]; Value too long for column \"purpose CHARACTER VARYING(64)\"",
                new SQLException("Value too long for column \"purpose CHARACTER VARYING(64)\" [22001-232]"));
        Throwable wrapped = new InternalErrorException("Failed to call access method: " + cause, cause);

        BaseServerResponseException answer = refusals.outgoing(wrapped);

        assertThat(answer.getStatusCode()).isEqualTo(500);
        assertThat(answer.getMessage()).isEqualTo("INTERNAL_ERROR: the bus could not complete the request");
    }

    /** A refusal of the FHIR server itself (its message names its codes) is answered by status, in our words. */
    @Test
    void theFhirServersOwnRefusalsAreReworded() {
        BaseServerResponseException badRequest = refusals.outgoing(new InvalidRequestException(
                "HAPI-0430: Invalid request: The FHIR endpoint on this server does not know how to handle GET"
                        + " operation[Patient] with parameters [[name]]"));
        BaseServerResponseException notFound = refusals.outgoing(new ResourceNotFoundException(
                "HAPI-0302: Unknown resource type 'Observation' - Server knows how to handle: [Patient]"));

        assertThat(badRequest.getStatusCode()).isEqualTo(400);
        assertThat(badRequest.getMessage()).startsWith("INVALID_QUERY_PARAMETER: ").doesNotContain("HAPI");
        assertThat(notFound.getStatusCode()).isEqualTo(404);
        assertThat(notFound.getMessage()).startsWith("RESOURCE_NOT_FOUND: ").doesNotContain("HAPI");
    }

    /** The bus's coded refusals keep their code, status and detail, wherever HAPI wrapped them. */
    @Test
    void codedRefusalsKeepTheirCode() {
        JembatanException invalid = JembatanException.of(List.of(new FieldError(ErrorCode.NIK_INVALID_LENGTH,
                "/nik", "NIK must have 16 digits, not 3")));

        BaseServerResponseException answer = refusals.outgoing(new InternalErrorException("wrapped", invalid));
        BaseServerResponseException kept = refusals.outgoing(FhirRefusals.coded(ErrorCode.POLICY_DENIED, "no"));

        assertThat(answer.getStatusCode()).isEqualTo(400);
        assertThat(answer.getMessage()).isEqualTo("NIK_INVALID_LENGTH: NIK must have 16 digits, not 3");
        assertThat(kept.getStatusCode()).isEqualTo(403);
        assertThat(kept.getMessage()).isEqualTo("POLICY_DENIED: no");
    }

    /** Over the rate limit: 429 with Retry-After, as on REST. */
    @Test
    void aRateLimitIs429WithRetryAfter() {
        BaseServerResponseException answer = FhirRefusals.of(new RateLimitedException("agency 'health' may look up"
                + " at most 100 citizens every 1 s", Duration.ofMillis(300)));

        assertThat(answer.getStatusCode()).isEqualTo(429);
        assertThat(answer.getMessage()).startsWith("RATE_LIMITED: ");
        assertThat(answer.getResponseHeaders()).containsEntry("Retry-After", List.of("1"));
    }

    /** A busy database is 503 with Retry-After, nothing of the cause. */
    @Test
    void aBusyDatabaseIs503() {
        BaseServerResponseException answer = refusals.outgoing(new InternalErrorException("wrapped",
                new CannotAcquireLockException("Timeout trying to lock table \"AUDIT_HEAD\"")));

        assertThat(answer.getStatusCode()).isEqualTo(503);
        assertThat(answer.getMessage()).startsWith("SERVICE_UNAVAILABLE: ").doesNotContain("AUDIT_HEAD");
        assertThat(answer.getResponseHeaders()).containsEntry("Retry-After", List.of("1"));
    }

    /** A refusal that names its code (the lookup's own). Result: that code, the rest as the detail, as FHIR codes it. */
    @Test
    void aCodedRefusalKeepsItsCodeInTheOperationOutcome() {
        OperationOutcome outcome = outcome(refusals.outgoing(new ForbiddenOperationException(
                "POLICY_DENIED: agency 'tax' may not read for purpose X")));

        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("POLICY_DENIED");
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .isEqualTo("POLICY_DENIED: agency 'tax' may not read for purpose X");
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
    }

    /** The FHIR server's own refusals carry the code of their status in the OperationOutcome, not its words. */
    @Test
    void theServersOwnRefusalsGetTheCodeOfTheirStatus() {
        OperationOutcome unknownType = outcome(refusals.outgoing(new ResourceNotFoundException(
                "HAPI-0302: Unknown resource type 'Observation' - Server knows how to handle: [Patient]")));
        OperationOutcome unknownParameter = outcome(refusals.outgoing(new InvalidRequestException(
                "Invalid request: The FHIR endpoint on this server does not know how to handle GET operation[Patient]"
                        + " with parameters [[identifier, name]]")));

        assertThat(unknownType.getIssueFirstRep().getDiagnostics()).startsWith("RESOURCE_NOT_FOUND: ")
                .doesNotContain("HAPI");
        assertThat(unknownParameter.getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo(ErrorCode.INVALID_QUERY_PARAMETER.name());
    }

    /** A failure inside the server (a bug, a database error). Result: 500 INTERNAL_ERROR, its message withheld. */
    @Test
    void anInternalFailureIsNotRepeated() {
        BaseServerResponseException answer = refusals.outgoing(new IllegalStateException(
                "Connection to jdbc:postgresql://127.0.0.1:5432/jembatan refused"));
        BaseServerResponseException wrapped = refusals.outgoing(new InternalErrorException("SQL [select ...]"));

        for (BaseServerResponseException e : new BaseServerResponseException[]{answer, wrapped}) {
            assertThat(e.getStatusCode()).isEqualTo(500);
            assertThat(outcome(e).getIssueFirstRep().getDiagnostics())
                    .isEqualTo("INTERNAL_ERROR: the bus could not complete the request");
        }
    }

    private static OperationOutcome outcome(BaseServerResponseException e) {
        return (OperationOutcome) e.getOperationOutcome();
    }
}
