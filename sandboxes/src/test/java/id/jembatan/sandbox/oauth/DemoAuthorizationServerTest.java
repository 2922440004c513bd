package id.jembatan.sandbox.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.api.token.AccessTokens;
import id.jembatan.api.token.OAuth2Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo authorization server issues what the bus accepts: a client-credentials token for the bus's audience, with
 * the client's id and the scopes asked for, signed by a key the bus finds through the server's metadata; a wrong
 * secret or a scope the client does not have gets no token.
 */
class DemoAuthorizationServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DemoAuthorizationServer server;

    @BeforeAll
    static void start() {
        server = new DemoAuthorizationServer(0, "jembatan", Map.of("tax-client",
                new DemoClient("demo-tax-client-secret", List.of("TAXPAYER_REGISTRATION", "TAX_ALLOWANCE_ASSESSMENT"))));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void aClientGetsATokenTheBusAccepts() throws Exception {
        HttpResponse<String> response = tokenRequest("tax-client:demo-tax-client-secret", "TAXPAYER_REGISTRATION");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String token = new ObjectMapper().readTree(response.body()).path("access_token").asText();
        JwtDecoder bus = AccessTokens.decoder(new OAuth2Settings(server.issuer(), "jembatan",
                Duration.ofSeconds(30)), Clock.systemUTC());
        Jwt jwt = bus.decode(token);
        assertThat(jwt.getAudience()).containsExactly("jembatan");
        assertThat(jwt.getClaimAsString("client_id")).isEqualTo("tax-client");
        assertThat(jwt.getClaimAsStringList("scope")).containsExactly("TAXPAYER_REGISTRATION");
        assertThat(jwt.getIssuer().toString()).isEqualTo(server.issuer());

        JwtDecoder otherBus = AccessTokens.decoder(new OAuth2Settings(server.issuer(), "another-bus",
                Duration.ofSeconds(30)), Clock.systemUTC());
        assertThatThrownBy(() -> otherBus.decode(token)).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void aWrongSecretOrAScopeNotGrantedGetsNoToken() throws Exception {
        assertThat(tokenRequest("tax-client:wrong", "TAXPAYER_REGISTRATION").statusCode()).isEqualTo(401);
        HttpResponse<String> notGranted = tokenRequest("tax-client:demo-tax-client-secret", "PATIENT_IDENTIFICATION");
        assertThat(notGranted.statusCode()).isEqualTo(400);
        JsonNode error = new ObjectMapper().readTree(notGranted.body());
        assertThat(error.path("error").asText()).isEqualTo("invalid_scope");
    }

    private static HttpResponse<String> tokenRequest(String credentials, String scope)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
