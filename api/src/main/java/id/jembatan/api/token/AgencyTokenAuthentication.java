package id.jembatan.api.token;

import id.jembatan.api.ApiKeyAuthentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

import java.util.Map;
import java.util.Set;

/**
 * An agency signed in with an OAuth2 access token: the principal is the agency id (as with an API key), the role
 * {@code AGENCY}, and the token's scopes are the purposes the agency may declare with it.
 */
public final class AgencyTokenAuthentication extends AbstractOAuth2TokenAuthenticationToken<Jwt> {

    private final String agency;
    private final String client;
    private final Set<String> purposes;

    AgencyTokenAuthentication(Jwt token, String agency, String client, Set<String> purposes) {
        super(token, agency, token, AuthorityUtils.createAuthorityList("ROLE_" + ApiKeyAuthentication.AGENCY_ROLE));
        this.agency = agency;
        this.client = client;
        this.purposes = Set.copyOf(purposes);
        setAuthenticated(true);
    }

    @Override
    public String getPrincipal() {
        return agency;
    }

    @Override
    public String getName() {
        return agency;
    }

    /** The OAuth2 client the token was issued to. */
    public String client() {
        return client;
    }

    /** The purposes this token lets the agency declare: its scopes. */
    public Set<String> purposes() {
        return purposes;
    }

    @Override
    public Map<String, Object> getTokenAttributes() {
        return getToken().getClaims();
    }
}
