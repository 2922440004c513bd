package id.jembatan.api.token;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * Agencies' and operators' sign-in with OAuth2 ({@code jembatan.oauth2.*}): the issuer whose JWT access tokens
 * the bus accepts, the audience they must name, how far the clocks may disagree, and which role makes a token an
 * operator's. Without an issuer the bus takes
 * no tokens (API keys only). Which client is which agency: {@code jembatan.agencies.<id>.oauth2-clients}.
 *
 * @param issuerUri the issuer, exactly as its tokens' {@code iss} claim names it; its keys are found through its
 *                  metadata ({@code /.well-known/openid-configuration} or {@code /.well-known/oauth-authorization-server},
 *                  then {@code jwks_uri}) when the first token arrives. Empty: OAuth2 off
 * @param audience  what a token's {@code aud} claim must contain: this bus's resource identifier at the issuer
 * @param clockSkew how much a token's {@code exp} and {@code nbf} may be off against the bus's clock; at most
 *                  five minutes
 * @param operatorRoleClaim the claim that lists a token's roles ({@code roles}; a dotted path reaches into an
 *                  object, as Keycloak's {@code realm_access.roles}): a list or a space-separated string
 * @param operatorRole the role that makes a token an operator's: it opens the operator endpoints, not the
 *                  agencies'; the operator is named by the token's {@code preferred_username}, else its {@code sub}
 */
@ConfigurationProperties(prefix = "jembatan.oauth2")
public record OAuth2Settings(@DefaultValue("") String issuerUri,
                             @DefaultValue("jembatan") String audience,
                             @NotNull @DefaultValue("30s") Duration clockSkew,
                             @NotBlank @DefaultValue("roles") String operatorRoleClaim,
                             @NotBlank @DefaultValue("jembatan-operator") String operatorRole) {

    @ConstructorBinding
    public OAuth2Settings {
    }

    /** Without operator settings: the defaults. */
    public OAuth2Settings(String issuerUri, String audience, Duration clockSkew) {
        this(issuerUri, audience, clockSkew, "roles", "jembatan-operator");
    }

    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }

    @AssertTrue(message = "must be an absolute http(s) URI, e.g. https://login.example.go.id/realms/jembatan")
    public boolean isIssuerUri() {
        if (!enabled()) {
            return true;
        }
        try {
            URI uri = URI.create(issuerUri);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @AssertTrue(message = "must not be empty when jembatan.oauth2.issuer-uri is set")
    public boolean isAudience() {
        return !enabled() || (audience != null && !audience.isBlank());
    }

    @AssertTrue(message = "must be between 0s and 5m")
    public boolean isClockSkew() {
        return clockSkew == null || (!clockSkew.isNegative() && clockSkew.compareTo(MAX_CLOCK_SKEW) <= 0);
    }
}
