package id.jembatan.api;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** An operator authenticated by an operator API key: may use the operator endpoints, never an agency's. */
public class OperatorAuthentication extends AbstractAuthenticationToken {

    public static final String ROLE = "OPERATOR";

    private final String operator;

    public OperatorAuthentication(String operator) {
        super(AuthorityUtils.createAuthorityList("ROLE_" + ROLE));
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
