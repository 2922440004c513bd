package id.jembatan.api;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A caller authenticated by an API key: an agency (principal = agency id, role AGENCY) or an operator (role
 * OPERATOR). The two roles never overlap: an operator may not use an agency's endpoints and the other way round.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    public static final String AGENCY_ROLE = "AGENCY";
    public static final String OPERATOR_ROLE = "OPERATOR";

    private final String principal;

    private ApiKeyAuthentication(String principal, String role) {
        super(AuthorityUtils.createAuthorityList("ROLE_" + role));
        this.principal = principal;
        setAuthenticated(true);
    }

    public static ApiKeyAuthentication agency(String agencyId) {
        return new ApiKeyAuthentication(agencyId, AGENCY_ROLE);
    }

    public static ApiKeyAuthentication operator(String operator) {
        return new ApiKeyAuthentication(operator, OPERATOR_ROLE);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getPrincipal() {
        return principal;
    }
}
