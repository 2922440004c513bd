package id.jembatan.api;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** An agency authenticated by its API key; the principal is the agency id. */
public class AgencyAuthentication extends AbstractAuthenticationToken {

    public static final String ROLE = "AGENCY";

    private final String agencyId;

    public AgencyAuthentication(String agencyId) {
        super(AuthorityUtils.createAuthorityList("ROLE_" + ROLE));
        this.agencyId = agencyId;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getPrincipal() {
        return agencyId;
    }
}
