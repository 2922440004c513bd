package id.jembatan.api.token;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The purposes an access token lets its agency declare: its scopes. A caller signed in with an API key declares any
 * purpose of its agency (the access policy decides, as before); one signed in with a token only those its token
 * grants, so an issuer can hand a client a narrower set than the agency has.
 */
public final class TokenPurposes {

    private TokenPurposes() {
    }

    /**
     * Refuses ({@code POLICY_DENIED}) a declared purpose the current caller's token does not grant; a blank purpose
     * goes on, to be refused as missing where a purpose is required.
     */
    public static void requireGranted(String purpose) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller instanceof AgencyTokenAuthentication token && purpose != null && !purpose.isBlank()
                && !token.purposes().contains(purpose)) {
            throw new JembatanException(ErrorCode.POLICY_DENIED,
                    "the access token does not grant this purpose: ask the issuer for a token with it as scope");
        }
    }
}
