package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.sandbox.oauth.DemoAuthorizationServer;
import id.jembatan.sandbox.oauth.DemoClient;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agencies sign in with OAuth2 client credentials: each test gets its access token from the demo authorization
 * server (Spring Authorization Server, started by the test kit on a port of its own, the bus's configured issuer)
 * exactly as an agency's system would, with {@code curl -u client:secret -d grant_type=client_credentials}, and
 * calls the bus with {@code Authorization: Bearer}. The bus finds the issuer's keys through its metadata.
 */
class OAuth2SignInIT extends BusTestSupport {

    @Autowired
    DemoAuthorizationServer issuer;

    private final CitizenFixtures fixtures = new CitizenFixtures();

    /**
     * The tax office's client gets a token with scope {@code TAXPAYER_REGISTRATION} and looks a registered citizen
     * up for that purpose. Result: 200 with the fields the tax office's policy gives that purpose, as with its API
     * key; the lookup is in the citizen's access log under agency {@code tax}.
     */
    @Test
    void aTokenSignsInAsItsClientsAgency() {
        String nik = registered().citizen().nik();
        String token = token(issuer, "tax-client", "demo-tax-client-secret", "TAXPAYER_REGISTRATION");

        HttpResponse<String> withToken = get(nik, "TAXPAYER_REGISTRATION", token);
        HttpResponse<String> withKey = get("/api/v1/citizens/" + nik + "?purpose=TAXPAYER_REGISTRATION", TAX_KEY);

        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
        assertThat(read(withToken)).isEqualTo(read(withKey));
        JsonNode log = read(get("/api/v1/citizens/" + nik + "/access-log", CITIZEN_PORTAL_KEY));
        assertThat(log.findValuesAsText("agency")).contains("tax");
    }

    /**
     * The tax office has two purposes; its token was issued with the scope of one. Result: a lookup for the other
     * purpose is refused 403 {@code POLICY_DENIED} with no citizen data, while its API key, which carries no scope,
     * may still declare it; a token asked for with both scopes may too.
     */
    @Test
    void theTokensScopesAreThePurposesItMayDeclare() {
        BirthRegistered birth = registered();
        String nik = birth.citizen().nik();
        String narrow = token(issuer, "tax-client", "demo-tax-client-secret", "TAXPAYER_REGISTRATION");
        String both = token(issuer, "tax-client", "demo-tax-client-secret",
                "TAXPAYER_REGISTRATION TAX_ALLOWANCE_ASSESSMENT");

        HttpResponse<String> refused = get(nik, "TAX_ALLOWANCE_ASSESSMENT", narrow);

        assertProblem(refused, 403, "POLICY_DENIED");
        assertThat(refused.body()).doesNotContain(birth.citizen().familyCardNumber());
        assertThat(get("/api/v1/citizens/" + nik + "?purpose=TAX_ALLOWANCE_ASSESSMENT", TAX_KEY).statusCode())
                .isEqualTo(200);
        assertThat(get(nik, "TAX_ALLOWANCE_ASSESSMENT", both).statusCode()).isEqualTo(200);
    }

    /**
     * Health's client gets a token and searches FHIR {@code Patient?identifier=}. Result: a searchset Bundle with
     * the patient; the same search with the token's signature altered answers 401 as a FHIR OperationOutcome with
     * {@code AGENCY_UNAUTHENTICATED}.
     */
    @Test
    void fhirSearchesTakeTokensToo() {
        String nik = registered().citizen().nik();
        String token = token(issuer, "health-client", "demo-health-client-secret", "PATIENT_IDENTIFICATION");

        HttpResponse<String> found = fhirSearch(nik, token);
        HttpResponse<String> forged = fhirSearch(nik, tampered(token));

        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(HealthFhir.context().newJsonParser().parseResource(Bundle.class, found.body()).getEntry())
                .hasSize(1);
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
        OperationOutcome outcome = HealthFhir.context().newJsonParser()
                .parseResource(OperationOutcome.class, forged.body());
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo("AGENCY_UNAUTHENTICATED");
    }

    /**
     * Tokens the bus must not accept: one whose signature was altered, one from another authorization server (same
     * client id and secret, another issuer and key), a token that is no JWT. Result: each 401
     * {@code AGENCY_UNAUTHENTICATED} problem+json with the {@code WWW-Authenticate: Bearer error="invalid_token"}
     * challenge, naming no library and no reason beyond that.
     */
    @Test
    void foreignAndForgedTokensAreRefused() {
        String nik = registered().citizen().nik();
        DemoAuthorizationServer other = new DemoAuthorizationServer(0, "jembatan",
                Map.of("tax-client", new DemoClient("demo-tax-client-secret", List.of("TAXPAYER_REGISTRATION"))));
        other.start();
        try {
            String foreign = token(other, "tax-client", "demo-tax-client-secret", "TAXPAYER_REGISTRATION");
            String forged = tampered(token(issuer, "tax-client", "demo-tax-client-secret", "TAXPAYER_REGISTRATION"));
            for (String token : List.of(foreign, forged, "not-a-jwt")) {
                HttpResponse<String> refused = get(nik, "TAXPAYER_REGISTRATION", token);
                assertProblem(refused, 401, "AGENCY_UNAUTHENTICATED");
                assertThat(refused.headers().firstValue("WWW-Authenticate"))
                        .hasValue("Bearer error=\"invalid_token\"");
                assertThat(refused.body()).doesNotContain("Jwt").doesNotContain("Nimbus");
            }
        } finally {
            other.stop();
        }
    }

    /** An agency's valid token on an operator endpoint. Result: 403 {@code OPERATOR_ONLY}. */
    @Test
    void anAgencysTokenIsNoOperators() {
        String token = token(issuer, "tax-client", "demo-tax-client-secret", "TAXPAYER_REGISTRATION");

        assertProblem(send(request("/api/v1/audit/verify", null).header("Authorization", "Bearer " + token).GET()),
                403, "OPERATOR_ONLY");
    }

    private HttpResponse<String> get(String nik, String purpose, String token) {
        return send(request("/api/v1/citizens/" + nik + "?purpose=" + purpose, null)
                .header("Authorization", "Bearer " + token).GET());
    }

    private HttpResponse<String> fhirSearch(String nik, String token) {
        return send(request("/fhir/Patient?identifier="
                + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik, StandardCharsets.UTF_8), null)
                .header("Accept", "application/fhir+json").header("Authorization", "Bearer " + token).GET());
    }

    private BirthRegistered registered() {
        BirthRegistered birth = fixtures.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        return birth;
    }

    /**
     * An access token as an agency (or an operators' client) gets one: client credentials grant, the client's id and
     * secret as Basic; {@code scope} empty asks for none.
     */
    static String token(DemoAuthorizationServer server, String client, String secret, String scope) {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials" + (scope.isEmpty() ? ""
                        : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response).path("access_token").asText();
    }

    /** The token with one character of its signature changed. */
    private static String tampered(String token) {
        int last = token.length() - 2;
        char changed = token.charAt(last) == 'A' ? 'B' : 'A';
        return token.substring(0, last) + changed + token.charAt(last + 1);
    }
}
