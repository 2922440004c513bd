package id.jembatan.api.token;

import id.jembatan.agency.AgencyDirectory;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated access token to who it signs in. An operator's token carries the operator role
 * ({@code jembatan.oauth2.operator-role} in the claim {@code operator-role-claim}): it signs in as the operator
 * named by its {@code preferred_username}, else its {@code sub}, and opens the operator endpoints only. Any other
 * token is an agency's: its client ({@code client_id}, else {@code azp}, as Keycloak, Spring Authorization Server and
 * SATUSEHAT-style issuers write it) must be one of an agency's {@code oauth2-clients}; its scopes ({@code scope} or
 * {@code scp}) are the purposes it may declare. A token of a client that is no agency's, or an operator's token of a
 * client bound to an agency (one token, one role), is refused like an invalid one.
 */
public final class AgencyTokenConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final AgencyDirectory agencies;
    private final OAuth2Settings settings;

    public AgencyTokenConverter(AgencyDirectory agencies, OAuth2Settings settings) {
        this.agencies = agencies;
        this.settings = settings;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt token) {
        String client = token.hasClaim("client_id") ? token.getClaimAsString("client_id")
                : token.getClaimAsString("azp");
        if (values(claim(token.getClaims(), settings.operatorRoleClaim())).contains(settings.operatorRole())) {
            if (agencies.agencyOfClient(client).isPresent()) {
                throw new InvalidBearerTokenException("an agency's client cannot be an operator");
            }
            String name = token.hasClaim("preferred_username") ? token.getClaimAsString("preferred_username")
                    : token.getSubject();
            if (name == null || name.isBlank()) {
                throw new InvalidBearerTokenException("an operator's token names no operator");
            }
            return new OperatorTokenAuthentication(name);
        }
        String agency = agencies.agencyOfClient(client)
                .orElseThrow(() -> new InvalidBearerTokenException("the token's client is no agency's"));
        return new AgencyTokenAuthentication(token, agency, client, scopes(token));
    }

    /** The claim at a dotted path ({@code realm_access.roles}), or null. */
    private static Object claim(Map<String, Object> claims, String path) {
        Object value = claims;
        for (String step : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> object)) {
                return null;
            }
            value = object.get(step);
        }
        return value;
    }

    /** A claim's values: a space-separated string's words or a list's items. */
    private static Set<String> values(Object value) {
        Set<String> values = new LinkedHashSet<>();
        if (value instanceof String text) {
            values.addAll(List.of(text.trim().split("\\s+")));
        } else if (value instanceof java.util.Collection<?> list) {
            list.forEach(item -> values.add(String.valueOf(item)));
        }
        values.remove("");
        return values;
    }

    private static Set<String> scopes(Jwt token) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : List.of("scope", "scp")) {
            scopes.addAll(values(token.getClaims().get(claim)));
        }
        return scopes;
    }
}
