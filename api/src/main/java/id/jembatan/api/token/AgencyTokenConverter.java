package id.jembatan.api.token;

import id.jembatan.agency.AgencyDirectory;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated access token to the agency it signs in: its client ({@code client_id}, else {@code azp}, as
 * Keycloak, Spring Authorization Server and SATUSEHAT-style issuers write it) must be one of an agency's
 * {@code oauth2-clients}; its scopes ({@code scope} or {@code scp}) are the purposes it may declare. A token of a
 * client that is no agency's is refused like an invalid one.
 */
public final class AgencyTokenConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final AgencyDirectory agencies;

    public AgencyTokenConverter(AgencyDirectory agencies) {
        this.agencies = agencies;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt token) {
        String client = token.hasClaim("client_id") ? token.getClaimAsString("client_id")
                : token.getClaimAsString("azp");
        String agency = agencies.agencyOfClient(client)
                .orElseThrow(() -> new InvalidBearerTokenException("the token's client is no agency's"));
        return new AgencyTokenAuthentication(token, agency, client, scopes(token));
    }

    private static Set<String> scopes(Jwt token) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : List.of("scope", "scp")) {
            Object value = token.getClaims().get(claim);
            if (value instanceof String text) {
                scopes.addAll(List.of(text.trim().split("\\s+")));
            } else if (value instanceof java.util.Collection<?> list) {
                list.forEach(item -> scopes.add(String.valueOf(item)));
            }
        }
        scopes.remove("");
        return scopes;
    }
}
