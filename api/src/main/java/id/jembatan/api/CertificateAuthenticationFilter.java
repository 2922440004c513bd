package id.jembatan.api;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Authenticates an agency by the client certificate it presented on the HTTPS port (mutual TLS): the TLS connector
 * has verified its chain against the configured CAs; here its SHA-256 fingerprint must be registered for an agency
 * ({@code jembatan.agencies.<id>.client-certificates}). A certificate that is not (never registered, or removed) is
 * refused 401 {@code AGENCY_UNAUTHENTICATED} in the caller's format before any body is read. A request that also
 * carries an API key or an access token signs in with that instead, as on the plain port.
 */
public class CertificateAuthenticationFilter extends RequestDispatchFilter {

    /** Where the servlet container puts the client's verified certificate chain, leaf first. */
    static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final AgencyDirectory agencies;
    private final Refusals refusals;

    public CertificateAuthenticationFilter(AgencyDirectory agencies, Refusals refusals) {
        this.agencies = agencies;
        this.refusals = refusals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(CERTIFICATES) instanceof X509Certificate[] presented && presented.length > 0
                && request.getHeader(ApiKeyAuthenticationFilter.HEADER) == null
                && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            Optional<String> agency = agencies.agencyOfCertificate(presented[0]);
            if (agency.isEmpty()) {
                SecurityContextHolder.clearContext();
                refusals.write(request, response, ErrorCode.AGENCY_UNAUTHENTICATED,
                        "The client certificate is not registered for an agency");
                return;
            }
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(ApiKeyAuthentication.agency(agency.get()));
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
