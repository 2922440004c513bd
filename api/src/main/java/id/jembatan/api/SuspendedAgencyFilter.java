package id.jembatan.api;

import id.jembatan.agency.AgencySuspensions;
import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.io.IOException;

/**
 * Refuses a suspended agency however it signed in (API key, access token, client certificate), after sign-in and
 * before authorization: 403 {@code AGENCY_SUSPENDED} in the caller's format (an OperationOutcome under
 * {@code /fhir}), before any body is read. The suspensions are read from memory ({@link AgencySuspensions}), so
 * every request is checked against the current state, also the first one after a suspension.
 */
public class SuspendedAgencyFilter extends RequestDispatchFilter {

    private static final String AGENCY = "ROLE_" + ApiKeyAuthentication.AGENCY_ROLE;

    private final AgencySuspensions suspensions;
    private final Refusals refusals;

    public SuspendedAgencyFilter(AgencySuspensions suspensions, Refusals refusals) {
        this.suspensions = suspensions;
        this.refusals = refusals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller != null && caller.isAuthenticated()
                && caller.getAuthorities().stream().anyMatch(a -> AGENCY.equals(a.getAuthority()))
                && suspensions.suspended(caller.getName())) {
            SecurityContextHolder.clearContext();
            refusals.write(request, response, ErrorCode.AGENCY_SUSPENDED,
                    "This agency is suspended; its operator contact at the bus can say why");
            return;
        }
        chain.doFilter(request, response);
    }
}
