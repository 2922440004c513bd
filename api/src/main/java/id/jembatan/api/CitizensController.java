package id.jembatan.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.api.token.TokenPurposes;
import id.jembatan.ingest.Channel;
import id.jembatan.lookup.LookupService;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.rules.Nik;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/citizens/{nik}?purpose=P}: the master record as the calling agency may see it for the
 * declared purpose (pre-filling a form instead of asking the citizen again). Audited; rate-limited per agency.
 */
@RestController
@RequestMapping("/api/v1/citizens")
public class CitizensController {

    private final LookupService lookups;

    public CitizensController(LookupService lookups) {
        this.lookups = lookups;
    }

    @GetMapping(path = "/{nik}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ObjectNode get(@PathVariable String nik, @RequestParam(required = false) String purpose,
                          @AuthenticationPrincipal String agencyId) {
        TokenPurposes.requireGranted(purpose);
        return lookups.lookup(agencyId, purpose, "query parameter purpose", nik, Channel.HTTP)
                .orElseThrow(() -> new JembatanException(ErrorCode.CITIZEN_NOT_FOUND,
                        "no citizen with NIK " + Nik.mask(nik)));
    }
}
