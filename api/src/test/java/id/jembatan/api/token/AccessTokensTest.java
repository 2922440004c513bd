package id.jembatan.api.token;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.agency.AgencySettings;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checks of an access token's claims once its signature is verified (the signature and key discovery are
 * proven against a real issuer in {@code OAuth2SignInIT}): issuer, audience, expiry within the clock skew; and
 * which agency and purposes a token stands for.
 */
class AccessTokensTest {

    private static final String ISSUER = "https://login.example.go.id/realms/jembatan";
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final OAuth2Settings SETTINGS = new OAuth2Settings(ISSUER, "jembatan", Duration.ofSeconds(30));
    private static final OAuth2TokenValidator<Jwt> VALIDATOR =
            AccessTokens.validator(SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTokenForThisBusFromTheIssuerInTimePasses() {
        assertThat(VALIDATOR.validate(token().build()).hasErrors()).isFalse();
    }

    @Test
    void anotherIssuerAnotherAudienceOrNoAudienceFails() {
        assertThat(VALIDATOR.validate(token().issuer("https://evil.example.org").build()).hasErrors()).isTrue();
        assertThat(VALIDATOR.validate(token().audience(List.of("other-api")).build()).hasErrors()).isTrue();
        assertThat(VALIDATOR.validate(token().claims(c -> c.remove("aud")).build()).hasErrors()).isTrue();
    }

    @Test
    void expiryCountsWithTheClockSkewAndIsRequired() {
        assertThat(VALIDATOR.validate(token().expiresAt(NOW.minusSeconds(29)).build()).hasErrors()).isFalse();
        assertThat(VALIDATOR.validate(token().expiresAt(NOW.minusSeconds(31)).build()).hasErrors()).isTrue();
        assertThat(VALIDATOR.validate(token().claims(c -> c.remove("exp")).build()).hasErrors()).isTrue();
        assertThat(VALIDATOR.validate(token().notBefore(NOW.plusSeconds(31)).build()).hasErrors()).isTrue();
    }

    @Test
    void theClientIsAnAgencyAndTheScopesItsPurposes() {
        AgencyTokenConverter converter = new AgencyTokenConverter(directory(), SETTINGS);

        AgencyTokenAuthentication byClientId = (AgencyTokenAuthentication) converter.convert(token()
                .claim("client_id", "djp-integration").claim("scope", "TAXPAYER_REGISTRATION OTHER").build());
        AgencyTokenAuthentication byAzp = (AgencyTokenAuthentication) converter.convert(token()
                .claim("azp", "djp-integration").claim("scp", List.of("TAXPAYER_REGISTRATION")).build());

        assertThat(byClientId.getPrincipal()).isEqualTo("tax");
        assertThat(byClientId.purposes()).containsExactlyInAnyOrder("TAXPAYER_REGISTRATION", "OTHER");
        assertThat(byClientId.getAuthorities()).extracting("authority").containsExactly("ROLE_AGENCY");
        assertThat(byAzp.getPrincipal()).isEqualTo("tax");
        assertThat(byAzp.purposes()).containsExactly("TAXPAYER_REGISTRATION");
        assertThatThrownBy(() -> converter.convert(token().claim("client_id", "stranger").build()))
                .isInstanceOf(InvalidBearerTokenException.class);
        assertThatThrownBy(() -> converter.convert(token().build()))
                .isInstanceOf(InvalidBearerTokenException.class);
    }

    /**
     * Tokens with the operator role, as Spring Authorization Server ({@code roles}) and Keycloak
     * ({@code realm_access.roles}, {@code preferred_username}) write them. Result: each signs in as an operator named
     * by its {@code preferred_username}, else its {@code sub}; a token of an agency's client with that role, or one
     * naming nobody, is refused.
     */
    @Test
    void aTokenWithTheOperatorRoleIsAnOperators() {
        AgencyTokenConverter converter = new AgencyTokenConverter(directory(), SETTINGS);
        AgencyTokenConverter keycloak = new AgencyTokenConverter(directory(), new OAuth2Settings(ISSUER, "jembatan",
                Duration.ofSeconds(30), "realm_access.roles", "jembatan-operator"));

        assertThat(converter.convert(token().subject("ops-automation").claim("client_id", "ops-automation")
                .claim("roles", List.of("jembatan-operator")).build()))
                .satisfies(a -> assertThat(a.getName()).isEqualTo("ops-automation"))
                .extracting(a -> a.getAuthorities().iterator().next().getAuthority()).isEqualTo("ROLE_OPERATOR");
        assertThat(keycloak.convert(token().subject("f3a1").claim("preferred_username", "ayu")
                .claim("realm_access", Map.of("roles", List.of("offline_access", "jembatan-operator"))).build())
                .getName()).isEqualTo("ayu");
        assertThatThrownBy(() -> converter.convert(token().claim("client_id", "djp-integration")
                .claim("roles", "jembatan-operator").build())).isInstanceOf(InvalidBearerTokenException.class);
        assertThatThrownBy(() -> converter.convert(token().claims(c -> c.remove("sub"))
                .claim("roles", "jembatan-operator").build())).isInstanceOf(InvalidBearerTokenException.class);
    }

    @Test
    void aClientSigningInAsTwoAgenciesIsAConfigurationProblem() {
        AgenciesSettings settings = new AgenciesSettings(Map.of(
                "tax", agency(List.of("shared-client")), "health", agency(List.of("shared-client"))));

        assertThat(AgencyDirectory.problems(settings)).singleElement().asString()
                .contains("oauth2-clients").contains("shared-client");
    }

    @Test
    void settingsAreCheckedTogether() {
        assertThat(new OAuth2Settings("", "", Duration.ZERO).isAudience()).isTrue();
        assertThat(new OAuth2Settings(ISSUER, " ", Duration.ZERO).isAudience()).isFalse();
        assertThat(new OAuth2Settings("login.example.go.id", "jembatan", Duration.ZERO).isIssuerUri()).isFalse();
        assertThat(new OAuth2Settings(ISSUER, "jembatan", Duration.ofMinutes(6)).isClockSkew()).isFalse();
    }

    private static AgencyDirectory directory() {
        return new AgencyDirectory(new AgenciesSettings(Map.of("tax", agency(List.of("djp-integration")))));
    }

    private static AgencySettings agency(List<String> clients) {
        return new AgencySettings(List.of(), List.of(), List.of(), null, null, clients, List.of(), List.of(), false);
    }

    private static Jwt.Builder token() {
        return Jwt.withTokenValue("t").header("alg", "RS256").issuer(ISSUER).audience(List.of("jembatan"))
                .issuedAt(NOW.minusSeconds(60)).expiresAt(NOW.plusSeconds(240)).subject("djp-integration");
    }
}
