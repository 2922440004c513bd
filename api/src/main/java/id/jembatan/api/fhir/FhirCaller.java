package id.jembatan.api.fhir;

import id.jembatan.api.token.TokenPurposes;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who calls the FHIR endpoint and for what: the agency signed in (API key or access token) and the purpose it
 * declares in the {@code X-Purpose} header, by default its configured FHIR purpose; a token must grant it.
 *
 * @param agency  the agency's id
 * @param purpose the declared purpose, not yet checked against the access policy
 */
record FhirCaller(String agency, String purpose) {

    /** Header naming the purpose of a FHIR request. */
    static final String PURPOSE_HEADER = "X-Purpose";

    /**
     * The current caller.
     *
     * @throws ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException {@code AGENCY_UNAUTHENTICATED} when no
     *         agency is signed in, {@code POLICY_DENIED} when it names no purpose and has no FHIR purpose, or its
     *         token does not grant the one it names
     */
    static FhirCaller of(HttpServletRequest request, AccessPolicy policy) {
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
        TokenPurposes.requireGranted(purpose);
        return new FhirCaller(agency, purpose);
    }
}
