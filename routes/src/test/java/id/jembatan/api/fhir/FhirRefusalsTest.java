package id.jembatan.api.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import id.jembatan.schema.error.ErrorCode;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FhirRefusalsTest {

    private final FhirRefusals refusals = new FhirRefusals();

    /** A refusal that names its code (the lookup's own). Result: that code, the rest as the detail. */
    @Test
    void aCodedRefusalKeepsItsCode() {
        OperationOutcome outcome = outcome(refusals.outgoing(new ForbiddenOperationException(
                "POLICY_DENIED: agency 'tax' may not read for purpose X")));

        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("POLICY_DENIED");
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .isEqualTo("POLICY_DENIED: agency 'tax' may not read for purpose X");
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
    }

    /**
     * The FHIR server's own refusals: an unknown resource type (its message numbered "HAPI-0302: "), parameters no
     * search takes. Result: the code of their status, the library's name gone.
     */
    @Test
    void theServersOwnRefusalsGetTheCodeOfTheirStatus() {
        OperationOutcome unknownType = outcome(refusals.outgoing(new ResourceNotFoundException(
                "HAPI-0302: Unknown resource type 'Observation' - Server knows how to handle: [Patient]")));
        OperationOutcome unknownParameter = outcome(refusals.outgoing(new InvalidRequestException(
                "Invalid request: The FHIR endpoint on this server does not know how to handle GET operation[Patient]"
                        + " with parameters [[identifier, name]]")));

        assertThat(unknownType.getIssueFirstRep().getDiagnostics())
                .isEqualTo("RESOURCE_NOT_FOUND: Unknown resource type 'Observation' - Server knows how to handle: "
                        + "[Patient]");
        assertThat(unknownParameter.getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo(ErrorCode.INVALID_QUERY_PARAMETER.name());
    }

    /** A failure inside the server (a bug, a database error). Result: 500 INTERNAL_ERROR, its message withheld. */
    @Test
    void anInternalFailureIsNotRepeated() {
        BaseServerResponseException answer = refusals.outgoing(new IllegalStateException(
                "Connection to jdbc:h2:file:/srv/data/db refused"));
        BaseServerResponseException wrapped = refusals.outgoing(new InternalErrorException("SQL [select ...]"));

        for (BaseServerResponseException e : new BaseServerResponseException[]{answer, wrapped}) {
            assertThat(e.getStatusCode()).isEqualTo(500);
            assertThat(outcome(e).getIssueFirstRep().getDiagnostics())
                    .isEqualTo("INTERNAL_ERROR: The bus could not complete the request");
        }
    }

    private static OperationOutcome outcome(BaseServerResponseException e) {
        return (OperationOutcome) e.getOperationOutcome();
    }
}
