package id.jembatan.api.fhir;

import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.api.token.TokenPurposes;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.health.HealthTranslator;
import id.jembatan.ingest.Channel;
import id.jembatan.lookup.LookupService;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.Citizen;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /fhir/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik}}: the once-only lookup for FHIR
 * clients. The same policy, rate limit and audit as the REST lookup; the purpose comes from the {@code X-Purpose}
 * header or the agency's configured FHIR purpose; the answer is a searchset Bundle with the Patient built from the
 * allowed fields only. Search modifiers ({@code identifier:not}, {@code :text}, {@code :missing}, ...) are refused,
 * not ignored. Refusals are OperationOutcomes whose diagnostics begin with the code ({@link FhirRefusals}).
 */
public class PatientLookupProvider implements IResourceProvider {

    /** Header naming the purpose of a FHIR search. */
    public static final String PURPOSE_HEADER = "X-Purpose";

    private static final String SEARCH_BY_NIK = "search by identifier=" + HealthFhir.NIK_SYSTEM + "|<NIK>";

    private static final Set<String> CITIZEN_FIELDS = Arrays.stream(Citizen.class.getRecordComponents())
            .map(c -> c.getName()).collect(Collectors.toUnmodifiableSet());

    private final LookupService lookups;
    private final AccessPolicy policy;
    private final HealthTranslator translator = new HealthTranslator();

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
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof String agency)) {
            throw FhirRefusals.coded(ErrorCode.AGENCY_UNAUTHENTICATED,
                    "send the agency's API key in the X-API-Key header or its access token as Bearer");
        }
        String purpose = request.getHeader(PURPOSE_HEADER);
        if (purpose == null || purpose.isBlank()) {
            purpose = policy.fhirPurpose(agency).orElseThrow(() -> FhirRefusals.coded(ErrorCode.POLICY_DENIED,
                    "agency '" + agency + "' has no FHIR lookup purpose; name one in the " + PURPOSE_HEADER
                            + " header"));
        }
        try {
            TokenPurposes.requireGranted(purpose);
            return lookups.lookup(agency, purpose, "header " + PURPOSE_HEADER, identifier.getValue(), Channel.FHIR)
                    .map(this::toPatient).stream().toList();
        } catch (JembatanException e) {
            throw FhirRefusals.of(e);
        }
    }

    private Patient toPatient(ObjectNode view) {
        ObjectNode citizenOnly = view.deepCopy();
        citizenOnly.retain(CITIZEN_FIELDS);
        Citizen citizen = CanonicalJson.mapper().convertValue(citizenOnly, Citizen.class);
        Patient patient = translator.toPatient(citizen);
        patient.setId(citizen.nik());
        if (view.hasNonNull("dateOfDeath")) {
            patient.setDeceased(new DateTimeType(view.get("dateOfDeath").asText()));
        } else if (view.has("deceased") && view.get("deceased").asBoolean()) {
            patient.setDeceased(new org.hl7.fhir.r4.model.BooleanType(true));
        }
        return patient;
    }
}
