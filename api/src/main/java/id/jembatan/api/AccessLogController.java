package id.jembatan.api;

import id.jembatan.audit.AccessLog;
import id.jembatan.audit.AccessLogPage;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.rules.Nik;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code GET /api/v1/citizens/{nik}/access-log?offset&limit}: for the citizen portal, which agency got or read the
 * citizen's data, when, for what purpose, which fields and over which channel, newest first. Reading the access log
 * is deliberately not audited itself: it is the citizen's own view through the portal, it carries no registry data
 * (only who handled it), and an entry per view would show up in that same log as if someone had read their data.
 */
@RestController
@RequestMapping("/api/v1/citizens")
public class AccessLogController {

    /** The only agency that may read access logs: it shows them to the citizen they are about. */
    public static final String CITIZEN_PORTAL = "citizen-portal";
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private final AccessLog accessLog;

    public AccessLogController(AccessLog accessLog) {
        this.accessLog = accessLog;
    }

    /**
     * Refuses any caller but the citizen portal ({@code POLICY_DENIED}), then a malformed NIK. The caller is checked
     * before its input: an agency that may not read a citizen's views learns nothing from them, not even whether a
     * NIK is well formed.
     *
     * @param what what the caller wanted, for the refusal's detail ({@code read a citizen's access log})
     */
    static void requireCitizenPortal(String agencyId, String nik, String what) {
        if (!CITIZEN_PORTAL.equals(agencyId)) {
            throw new JembatanException(ErrorCode.POLICY_DENIED,
                    "only the citizen portal may " + what + ", not '" + agencyId + "'");
        }
        List<FieldError> errors = Nik.check(nik, "/nik");
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
    }

    @GetMapping(path = "/{nik}/access-log", produces = MediaType.APPLICATION_JSON_VALUE)
    public AccessLogPage get(@PathVariable String nik,
                             @RequestParam(defaultValue = "0") String offset,
                             @RequestParam(defaultValue = "" + DEFAULT_LIMIT) String limit,
                             @AuthenticationPrincipal String agencyId) {
        requireCitizenPortal(agencyId, nik, "read a citizen's access log");
        return accessLog.page(nik, QueryParameters.wholeNumber("offset", offset, 0, Integer.MAX_VALUE),
                QueryParameters.wholeNumber("limit", limit, 1, MAX_LIMIT));
    }
}
