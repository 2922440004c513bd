package id.jembatan.api;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * Authenticates an agency by the {@code X-API-Key} header against the configured SHA-256 digests. A request
 * without the header goes on unauthenticated (and is refused where authentication is required); a wrong key is
 * refused at once.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-API-Key";

    private final AgencyDirectory agencies;
    private final Problems problems;

    public ApiKeyAuthenticationFilter(AgencyDirectory agencies, Problems problems) {
        this.agencies = agencies;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key != null) {
            Optional<String> agency = agencies.authenticate(key);
            if (agency.isEmpty()) {
                SecurityContextHolder.clearContext();
                problems.write(response, ErrorCode.AGENCY_UNAUTHENTICATED, "The API key is not valid");
                return;
            }
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new AgencyAuthentication(agency.get()));
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
