package id.jembatan.api.token;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How the bus checks an access token: signed by a key of the configured issuer (found through its metadata and
 * JWKS, when the first token arrives, so the bus starts even while the issuer is down), {@code iss} exactly the
 * issuer, {@code aud} naming this bus, {@code exp} present and not past (nor {@code nbf} ahead) by more than the
 * allowed clock skew.
 */
public final class AccessTokens {

    private AccessTokens() {
    }

    public static JwtDecoder decoder(OAuth2Settings settings, Clock clock) {
        OAuth2TokenValidator<Jwt> validator = validator(settings, clock);
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(settings.issuerUri()).build();
            decoder.setJwtValidator(validator);
            return decoder;
        });
    }

    /** The checks of a token's claims, in order: time, issuer, audience. */
    public static OAuth2TokenValidator<Jwt> validator(OAuth2Settings settings, Clock clock) {
        JwtTimestampValidator time = new JwtTimestampValidator(settings.clockSkew());
        time.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
                time,
                new JwtIssuerValidator(settings.issuerUri()),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        aud -> aud != null && aud.contains(settings.audience())));
    }
}
