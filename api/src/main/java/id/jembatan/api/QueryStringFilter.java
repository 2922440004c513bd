package id.jembatan.api;

import id.jembatan.schema.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a query string that does not decode (a {@code %} not followed by two hex digits, or bytes that are not
 * UTF-8) with 400 {@code INVALID_QUERY_PARAMETER} in the caller's format. Without it the container drops such a
 * parameter silently (a lookup would then be told its purpose is missing) and the FHIR server answers 500.
 */
public class QueryStringFilter extends RequestDispatchFilter {

    private final Refusals refusals;

    public QueryStringFilter(Refusals refusals) {
        this.refusals = refusals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && !decodes(query)) {
            refusals.write(request, response, ErrorCode.INVALID_QUERY_PARAMETER,
                    "The query string is not well-formed: a percent-encoding is invalid or not UTF-8");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether every {@code %XX} escape is complete and the decoded bytes of each parameter are UTF-8. */
    static boolean decodes(String query) {
        if (isPlainAscii(query)) {
            return true; // no escape and ASCII only: UTF-8 as it stands (every lookup's ?purpose=...)
        }
        for (String part : query.split("[&=]", -1)) {
            byte[] bytes = new byte[part.length()];
            int length = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c == '%') {
                    if (i + 2 >= part.length() || Character.digit(part.charAt(i + 1), 16) < 0
                            || Character.digit(part.charAt(i + 2), 16) < 0) {
                        return false;
                    }
                    bytes[length++] = (byte) Integer.parseInt(part, i + 1, i + 3, 16);
                    i += 2;
                } else {
                    // The container keeps the raw query as ISO-8859-1: one char per byte sent.
                    bytes[length++] = (byte) c;
                }
            }
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length));
            } catch (CharacterCodingException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainAscii(String query) {
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%' || c > 0x7F) {
                return false;
            }
        }
        return true;
    }
}
