package id.jembatan.api.token;

import id.jembatan.api.ApiKeyAuthentication;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * An operator signed in with an OAuth2 access token carrying the operator role: the principal is the operator's
 * name (the token's {@code preferred_username}, else its {@code sub}), the role {@code OPERATOR}, as with an
 * operator key.
 */
public final class OperatorTokenAuthentication extends AbstractAuthenticationToken {

    private final String operator;

    OperatorTokenAuthentication(String operator) {
        super(AuthorityUtils.createAuthorityList("ROLE_" + ApiKeyAuthentication.OPERATOR_ROLE));
        this.operator = operator;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getPrincipal() {
        return operator;
    }
}
