package id.jembatan.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * A filter of the bus's security chains that acts once per request: on the request's own dispatch, not on a forward,
 * include, error or async dispatch of it. What Spring's {@code OncePerRequestFilter} does for these filters, without
 * its per-request bookkeeping: a request attribute named by concatenating strings, set and removed around every
 * request by each of the five filters (part of the security chain's 12% of a lookup's request-thread samples,
 * docs/performance.md). The container never dispatches a request to itself again as a new request, so its dispatcher
 * type alone tells the first pass.
 */
public abstract class RequestDispatchFilter implements Filter {

    @Override
    public final void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.REQUEST && request instanceof HttpServletRequest http
                && response instanceof HttpServletResponse answer) {
            doFilterInternal(http, answer, chain);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The filter's work, on the request's own dispatch only. */
    protected abstract void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                             FilterChain chain) throws ServletException, IOException;
}
