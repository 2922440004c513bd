package id.jembatan.api;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.index.CitizenRecord;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.rules.Nik;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code GET /api/v1/citizens/{nik}}: the master record. For now only the civil registry (the owner) reads it, in
 * full; the purpose-based access policy for other agencies is a separate piece of work.
 */
@RestController
@RequestMapping("/api/v1/citizens")
public class CitizensController {

    private final MasterCitizenIndex index;

    public CitizensController(MasterCitizenIndex index) {
        this.index = index;
    }

    @GetMapping(path = "/{nik}", produces = MediaType.APPLICATION_JSON_VALUE)
    public CitizenRecord get(@PathVariable String nik, @AuthenticationPrincipal String agencyId) {
        List<FieldError> errors = Nik.check(nik, "/nik");
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
        if (!AgencyDirectory.CIVIL_REGISTRY.equals(agencyId)) {
            throw new JembatanException(ErrorCode.POLICY_DENIED,
                    "agency '" + agencyId + "' has no access policy for citizen lookups");
        }
        return index.find(nik).orElseThrow(() -> new JembatanException(ErrorCode.CITIZEN_NOT_FOUND,
                "no citizen with NIK " + Nik.mask(nik)));
    }
}
