package id.jembatan.api;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.operator.OperatorDirectory;
import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.io.IOException;
import java.util.Optional;

/**
 * Authenticates an agency, or an operator, by the {@code X-API-Key} header against the configured SHA-256 digests.
 * A request without the header goes on unauthenticated (and is refused where authentication is required); a wrong
 * key is refused at once, in the caller's format, before any body is read.
 */
public class ApiKeyAuthenticationFilter extends RequestDispatchFilter {

    public static final String HEADER = "X-API-Key";

    private final AgencyDirectory agencies;
    private final OperatorDirectory operators;
    private final Refusals refusals;

    public ApiKeyAuthenticationFilter(AgencyDirectory agencies, OperatorDirectory operators, Refusals refusals) {
        this.agencies = agencies;
        this.operators = operators;
        this.refusals = refusals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key != null) {
            // Both directories are always asked, so the answer time does not tell an operator key from an agency's.
            Optional<String> agency = agencies.authenticate(key);
            Optional<String> operator = operators.authenticate(key);
            Optional<Authentication> caller = agency.<Authentication>map(ApiKeyAuthentication::agency)
                    .or(() -> operator.map(ApiKeyAuthentication::operator));
            if (caller.isEmpty()) {
                SecurityContextHolder.clearContext();
                refusals.write(request, response, ErrorCode.AGENCY_UNAUTHENTICATED, "The API key is not valid");
                return;
            }
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(caller.get());
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
