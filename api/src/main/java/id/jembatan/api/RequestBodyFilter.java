package id.jembatan.api;

import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
public class RequestBodyFilter extends OncePerRequestFilter {

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
        Map<String, String[]> form;
        try {
            form = isForm(request) ? form(request, body) : null;
        } catch (IllegalArgumentException e) {
            refusals.write(request, response, ErrorCode.REQUEST_MALFORMED,
                    "The form body is not well-formed: a percent-encoding is invalid");
            return;
        }
        chain.doFilter(new ReadRequest(request, body, form), response);
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

    private static boolean isForm(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(contentType));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** The query's parameters (the container's) followed by the form body's, as a servlet container merges them. */
    private static Map<String, String[]> form(HttpServletRequest request, byte[] body) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> merged.put(name, new ArrayList<>(List.of(values))));
        Charset charset = charset(request);
        for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), charset);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), charset);
            merged.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        Map<String, String[]> parameters = new LinkedHashMap<>();
        merged.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
        return Collections.unmodifiableMap(parameters);
    }

    private static Charset charset(HttpServletRequest request) {
        String encoding = request.getCharacterEncoding();
        try {
            return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
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

    /** The request with its body already read: the body comes from memory, a form's fields are parameters. */
    static final class ReadRequest extends HttpServletRequestWrapper {
        private final byte[] body;
        private final Map<String, String[]> form;

        ReadRequest(HttpServletRequest request, byte[] body, Map<String, String[]> form) {
            super(request);
            this.body = body;
            this.form = form;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new BodyStream(body);
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset(this)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public String getParameter(String name) {
            if (form == null) {
                return super.getParameter(name);
            }
            String[] values = form.get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return form == null ? super.getParameterMap() : form;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return form == null ? super.getParameterNames() : Collections.enumeration(form.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            if (form == null) {
                return super.getParameterValues(name);
            }
            String[] values = form.get(name);
            return values == null ? null : values.clone();
        }
    }

    private static final class BodyStream extends ServletInputStream {
        private final ByteArrayInputStream in;

        BodyStream(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return in.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
