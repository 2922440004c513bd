package id.jembatan.api;

import id.jembatan.verification.IdentityVerification;
import id.jembatan.verification.VerificationResult;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/citizens/verify}: any agency's {@code {nik, fullName, birthDate}} in, {@code {"result":
 * "MATCH"}} or {@code {"result": "NO_MATCH"}} out, nothing else; over the agency's rate limit, 429
 * {@code RATE_LIMITED} with {@code Retry-After}.
 */
@RestController
@RequestMapping("/api/v1/citizens")
public class VerificationController {

    /** The whole answer: no other field, so that nothing about the record is revealed. */
    public record VerificationResponse(VerificationResult result) {
    }

    private final IdentityVerification verification;

    public VerificationController(IdentityVerification verification) {
        this.verification = verification;
    }

    @PostMapping(path = "/verify", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public VerificationResponse verify(@RequestBody byte[] body, @AuthenticationPrincipal String agencyId) {
        return new VerificationResponse(verification.verify(agencyId, body));
    }
}
