package id.jembatan.api;

import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Reads each request's body whole before anything else sees it, so that no handler waits on a slow client or holds
 * more than the limit: a body is taken only from an authenticated caller (401 otherwise, the body left unread), only
 * up to the size limit whatever its content type or transfer coding (413), and only if it arrives within the time
 * limit (408). A form body becomes request parameters here; nothing else reads it. Refusals are in the caller's
 * format ({@link Refusals}).
 *
 * <p>Each read waits at most the connector's {@code connection-timeout} for the next bytes, and the time limit is
 * checked before every read, so a body holds a request thread for at most the time limit plus that timeout.
 */
public class RequestBodyFilter extends RequestDispatchFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyFilter.class);
    private static final int CHUNK = 8192;

    private final long agencyMaxBytes;
    private final long operatorMaxBytes;
    private final long timeoutNanos;
    private final Refusals refusals;

    /**
     * @param agencyMaxBytes   the limit of an agency's body
     * @param operatorMaxBytes the limit of an operator's body (the console's Jolokia requests are larger)
     */
    public RequestBodyFilter(long agencyMaxBytes, long operatorMaxBytes, Duration timeout, Refusals refusals) {
        this.agencyMaxBytes = agencyMaxBytes;
        this.operatorMaxBytes = operatorMaxBytes;
        this.timeoutNanos = timeout.toNanos();
        this.refusals = refusals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!declaresBody(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (!authenticated()) {
            refusals.write(request, response, ErrorCode.AGENCY_UNAUTHENTICATED, "Send the agency's API key in the "
                    + ApiKeyAuthenticationFilter.HEADER + " header; a body is only read from a caller who has");
            return;
        }
        long maxBytes = isOperator() ? operatorMaxBytes : agencyMaxBytes;
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refusals.write(request, response, ErrorCode.PAYLOAD_TOO_LARGE,
                    "Body has " + declared + " bytes; the limit is " + maxBytes);
            return;
        }
        byte[] body;
        try {
            body = read(request.getInputStream(), declared, maxBytes);
        } catch (TooLarge e) {
            refusals.write(request, response, ErrorCode.PAYLOAD_TOO_LARGE,
                    "Body exceeds the limit of " + maxBytes + " bytes");
            return;
        } catch (TooSlow e) {
            tooSlow(request, response);
            return;
        } catch (IOException e) {
            if (hasCause(e, SocketTimeoutException.class)) {
                tooSlow(request, response);
            } else {
                // The client went away while sending: there is no one to answer.
                log.debug("Request body not received: {}", e.toString());
            }
            return;
        }
        ReadRequest read;
        try {
            read = ReadRequest.of(request, body);
        } catch (IllegalArgumentException e) {
            refusals.write(request, response, ErrorCode.REQUEST_MALFORMED,
                    "The form body is not well-formed: a percent-encoding is invalid");
            return;
        }
        chain.doFilter(read, response);
    }

    private void tooSlow(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long millis = Duration.ofNanos(timeoutNanos).toMillis();
        // Only authenticated callers get here: the log names who holds request threads by sending slowly.
        log.info("Request body from {} did not arrive within {} ms: 408", caller(), millis);
        refusals.write(request, response, ErrorCode.REQUEST_TIMEOUT,
                "The body did not arrive within " + millis + " ms; send it whole and at once");
    }

    private static String caller() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller == null ? "an unknown caller" : caller.getName();
    }

    /** Whether the request says a body follows: a positive Content-Length, or a transfer coding (chunked). */
    static boolean declaresBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static boolean isOperator() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.getAuthorities().stream()
                .anyMatch(a -> ("ROLE_" + ApiKeyAuthentication.OPERATOR_ROLE).equals(a.getAuthority()));
    }

    private static boolean authenticated() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.isAuthenticated() && !(caller instanceof AnonymousAuthenticationToken);
    }

    private byte[] read(InputStream in, long declared, long maxBytes) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : CHUNK);
        byte[] chunk = new byte[CHUNK];
        while (declared < 0 || body.size() < declared) {
            if (System.nanoTime() - deadline > 0) {
                throw new TooSlow();
            }
            int n = in.read(chunk);
            if (n < 0) {
                break;
            }
            if (body.size() + n > maxBytes) {
                throw new TooLarge();
            }
            body.write(chunk, 0, n);
        }
        return body.toByteArray();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("body over the limit", null);
        }
    }

    private static final class TooSlow extends IOException {
        TooSlow() {
            super("body not received in time", null);
        }
    }
}
