package id.jembatan.it;

import id.jembatan.sandbox.oauth.DemoAuthorizationServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several named operators, and operators signing in with OAuth2: each operator action is recorded in the audit chain
 * under the name the operator signed in with. The demo configuration has the named operator {@code ayu} (her own
 * key) and the authorization server's {@code operator-client}, whose tokens carry the role
 * {@code jembatan-operator}.
 */
class OperatorSignInIT extends BusTestSupport {

    private static final String AYU_KEY = "demo-operator-ayu-key";

    @Autowired
    DemoAuthorizationServer issuer;

    @Autowired
    JdbcClient jdbc;

    /**
     * Ayu pauses and resumes delivery to licensing with her own key, giving reasons. Result: both answered 200, and
     * the audit chain's two new operator entries name {@code ayu} and her reasons; the chain verifies.
     */
    @Test
    void aNamedOperatorsActionsCarryHerName() {
        long before = lastSeq();
        assertThat(post("/api/v1/operations/agencies/licensing/pause", AYU_KEY, null,
                "{\"reason\":\"Licensing asked for a pause\"}").statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/operations/agencies/licensing/resume", AYU_KEY, null,
                "{\"reason\":\"Licensing is back\"}").statusCode()).isEqualTo(200);

        assertThat(operatorEntriesAfter(before)).containsExactly(
                "licensing DELIVERY_PAUSED ayu Licensing asked for a pause",
                "licensing DELIVERY_RESUMED ayu Licensing is back");
        assertThat(read(get("/api/v1/audit/verify", AYU_KEY)).path("valid").asBoolean()).isTrue();
    }

    /**
     * The operators' client gets a token (client credentials, role {@code jembatan-operator} in {@code roles}) and
     * suspends and reinstates bansos with it. Result: the operator calls answer 200 and their audit entries name the
     * token's subject ({@code operator-client}); the same token on an agency's call (a lookup) is refused 403
     * {@code POLICY_DENIED}: an operator's token is no agency's.
     */
    @Test
    void anOperatorSignsInWithAnAccessToken() {
        String token = OAuth2SignInIT.token(issuer, "operator-client", "demo-operator-client-secret", "");
        long before = lastSeq();
        try {
            HttpResponse<String> suspended = post("/api/v1/operations/agencies/bansos/suspend", null, token,
                    "{\"reason\":\"Quarterly access review\"}");
            assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
            assertThat(read(suspended).path("operator").asText()).isEqualTo("operator-client");
        } finally {
            post("/api/v1/operations/agencies/bansos/reinstate", null, token, "{\"reason\":\"Review passed\"}");
        }
        assertThat(operatorEntriesAfter(before)).containsExactly(
                "bansos AGENCY_SUSPENDED operator-client Quarterly access review",
                "bansos AGENCY_REINSTATED operator-client Review passed");
        assertProblem(send(request("/api/v1/citizens/" + citizens.citizen().nik() + "?purpose=X", null)
                .header("Authorization", "Bearer " + token).GET()), 403, "POLICY_DENIED");
    }

    private HttpResponse<String> post(String path, String key, String token, String body) {
        HttpRequest.Builder request = request(path, key).header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private long lastSeq() {
        return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM audit_entry").query(Long.class).single();
    }

    private List<String> operatorEntriesAfter(long seq) {
        List<Map<String, Object>> rows = jdbc.sql("""
                        SELECT agency, action, operator, reason FROM audit_entry
                        WHERE seq > ? AND operator IS NOT NULL ORDER BY seq""")
                .param(seq).query().listOfRows();
        return rows.stream().map(r -> r.get("agency") + " " + r.get("action") + " " + r.get("operator") + " "
                + r.get("reason")).toList();
    }
}
