package id.jembatan.verification;

import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.ingest.Channel;
import id.jembatan.quota.QuotaExceededException;
import id.jembatan.quota.QuotaOperation;
import id.jembatan.quota.Quotas;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.VerificationRequest;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.validation.RequestValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.util.List;

/**
 * Identity verification: an agency's {@code {nik, fullName, birthDate}} against the master record, answered only
 * with MATCH or NO_MATCH (an unregistered NIK is NO_MATCH), within the agency's verification quota ({@link Quotas},
 * purpose {@link #PURPOSE}), and audited.
 */
@Service
public class IdentityVerification {

    /** The purpose recorded in the audit log for every verification. */
    public static final String PURPOSE = "IDENTITY_VERIFICATION";
    /** The citizen data a verification compares, as recorded in the audit log. */
    public static final List<String> FIELDS = List.of("nik", "fullName", "birthDate");

    private static final Logger log = LoggerFactory.getLogger(IdentityVerification.class);

    private final Quotas quotas;
    private final RequestValidator validator;
    private final MasterCitizenIndex index;
    private final AuditTrail audit;

    public IdentityVerification(Quotas quotas, RequestValidator validator, MasterCitizenIndex index,
                                AuditTrail audit) {
        this.quotas = quotas;
        this.validator = validator;
        this.index = index;
        this.audit = audit;
    }

    /**
     * Verifies one request body sent by {@code agencyId}. Every request counts against the agency's quota, also
     * one that turns out invalid: trying malformed guesses must not be free either.
     *
     * @throws QuotaExceededException when the agency's verification quota (second or day) is used up
     * @throws JembatanException    with the code of the first problem when the body is invalid
     */
    public VerificationResult verify(String agencyId, byte[] body) {
        quotas.check(agencyId, PURPOSE, QuotaOperation.VERIFICATION);
        VerificationRequest request = validator.verification(CanonicalJson.readBody(body));
        boolean match = index.find(request.nik()).map(record -> matches(record.citizen(), request)).orElse(false);
        VerificationResult result = match ? VerificationResult.MATCH : VerificationResult.NO_MATCH;
        audit.append(new AuditRecord(agencyId, request.nik(), AuditAction.VERIFICATION, PURPOSE, FIELDS,
                Channel.HTTP.name(), result.name(), null));
        log.info("Verification of {} by {}: {}", Nik.mask(request.nik()), agencyId, result);
        return result;
    }

    private static boolean matches(Citizen citizen, VerificationRequest request) {
        return request.birthDate().equals(citizen.birthDate())
                && FullNames.same(request.fullName(), citizen.fullName());
    }
}
