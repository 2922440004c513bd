package id.jembatan.api.fhir;

import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.ingest.Channel;
import id.jembatan.lookup.LookupService;
import id.jembatan.lookup.PatientView;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.r4.model.Patient;

import java.util.List;

/**
 * {@code GET /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik}}: the once-only lookup for FHIR
 * clients. The same policy, rate limit and audit as the REST lookup; the purpose comes from the {@code X-Purpose}
 * header or the agency's configured FHIR purpose; the answer is a searchset Bundle with the Patient built from the
 * allowed fields only. Search modifiers ({@code identifier:not}, {@code :text}, {@code :missing}, ...) are refused,
 * not ignored. Refusals are OperationOutcomes whose diagnostics begin with the code ({@link FhirRefusals}).
 */
public class PatientLookupProvider implements IResourceProvider {

    /** Header naming the purpose of a FHIR search. */
    public static final String PURPOSE_HEADER = FhirCaller.PURPOSE_HEADER;

    private static final String SEARCH_BY_NIK = "search by identifier=" + HealthFhir.NIK_SYSTEM + "|<NIK>";

    private final LookupService lookups;
    private final AccessPolicy policy;

    public PatientLookupProvider(LookupService lookups, AccessPolicy policy) {
        this.lookups = lookups;
        this.policy = policy;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Search
    public List<Patient> byIdentifier(@RequiredParam(name = Patient.SP_IDENTIFIER) TokenParam identifier,
                                      HttpServletRequest request) {
        if (identifier.getModifier() != null || identifier.getMissing() != null) {
            // identifier:not=... would otherwise answer the very citizen it excludes.
            String modifier = identifier.getMissing() != null ? ":missing" : identifier.getModifier().getValue();
            throw FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER, "the search modifier " + modifier
                    + " is not supported; " + SEARCH_BY_NIK);
        }
        if (!HealthFhir.NIK_SYSTEM.equals(identifier.getSystem()) || identifier.getValue() == null) {
            throw FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER,
                    SEARCH_BY_NIK);
        }
        try {
            FhirCaller caller = FhirCaller.of(request, policy);
            return lookups.lookup(caller.agency(), caller.purpose(), "header " + PURPOSE_HEADER,
                            identifier.getValue(), Channel.FHIR)
                    .map(PatientView::toPatient).stream().toList();
        } catch (JembatanException e) {
            throw FhirRefusals.of(e);
        }
    }
}
