package id.jembatan.lookup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.index.CitizenRecord;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.ingest.Channel;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.quota.QuotaExceededException;
import id.jembatan.quota.QuotaOperation;
import id.jembatan.quota.Quotas;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.rules.Nik;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Once-only lookups: an agency reads a citizen from the master index instead of asking the citizen again, and
 * sees only the fields its access policy gives the declared purpose, within its quota for that purpose
 * ({@link Quotas}, REST and FHIR counted together). Every lookup for a
 * purpose the policy knows, answered, refused or not found, is appended to the audit chain with its outcome and the
 * fields that were returned; a lookup for any other purpose is refused before anything is recorded, so that what an
 * agency writes as a purpose never reaches a citizen's access log.
 */
@Service
public class LookupService {

    /** Audit outcomes of a lookup. */
    public static final String OK = "OK";
    public static final String DENIED = "DENIED";
    public static final String NOT_FOUND = "NOT_FOUND";

    private final MasterCitizenIndex index;
    private final AccessPolicy policy;
    private final AuditTrail audit;
    private final Quotas quotas;

    public LookupService(MasterCitizenIndex index, AccessPolicy policy, AuditTrail audit, Quotas quotas) {
        this.index = index;
        this.policy = policy;
        this.audit = audit;
        this.quotas = quotas;
    }

    /**
     * The citizen as {@code agency} may see it for {@code purpose}: {@code nik} plus exactly the allowed fields, or empty
     * when the NIK is not registered.
     *
     * @param purposeSource how the caller declares the purpose ({@code "query parameter purpose"}, {@code "header
     *                      X-Purpose"}), for the problem detail
     * @throws QuotaExceededException when the agency's lookup quota for the purpose is used up (every well-formed
     *                                 lookup for a purpose the policy knows counts, also one the policy refuses)
     * @throws JembatanException      NIK codes (400), {@code PURPOSE_REQUIRED} or {@code PURPOSE_UNKNOWN} (400),
     *                                {@code POLICY_DENIED} (403)
     */
    public Optional<ObjectNode> lookup(String agency, String purpose, String purposeSource, String nik,
                                       Channel channel) {
        List<FieldError> invalid = Nik.check(nik, "/nik");
        if (!invalid.isEmpty()) {
            throw JembatanException.of(invalid);
        }
        if (purpose == null || purpose.isBlank()) {
            throw new JembatanException(ErrorCode.PURPOSE_REQUIRED,
                    "declare the purpose of the lookup (" + purposeSource + ")");
        }
        if (!policy.isKnownPurpose(purpose)) {
            // Not echoed: it is whatever the caller wrote. Its own purposes tell it what it may use instead.
            List<String> own = policy.purposesOf(agency);
            throw JembatanException.of(List.of(new FieldError(ErrorCode.PURPOSE_UNKNOWN, "/purpose",
                    "the " + purposeSource + " is not a purpose of the access policy"
                            + (own.isEmpty() ? "" : " (this agency's: " + String.join(", ", own) + ")"))));
        }
        // A quota per purpose the policy knows: what a caller writes as a purpose never becomes a quota of its own.
        quotas.check(agency, purpose, QuotaOperation.LOOKUP);
        Set<String> fields;
        try {
            fields = policy.readable(agency, purpose);
        } catch (JembatanException denied) {
            audit.append(new AuditRecord(agency, nik, AuditAction.LOOKUP, purpose, List.of(), channel.name(),
                    DENIED, null));
            throw denied;
        }
        Optional<CitizenRecord> record = index.find(nik);
        if (record.isEmpty()) {
            audit.append(new AuditRecord(agency, nik, AuditAction.LOOKUP, purpose, List.of(), channel.name(),
                    NOT_FOUND, null));
            return Optional.empty();
        }
        ObjectNode view = project(record.get(), fields);
        List<String> returned = new ArrayList<>();
        view.fieldNames().forEachRemaining(returned::add);
        audit.append(new AuditRecord(agency, nik, AuditAction.LOOKUP, purpose, returned, channel.name(), OK, null));
        return Optional.of(view);
    }

    /** The record as JSON with {@code nik} and only the given fields ({@code deceased} is derived). */
    public static ObjectNode project(CitizenRecord record, Set<String> fields) {
        ObjectNode view = CanonicalJson.mapper().valueToTree(record);
        view.put("deceased", record.deceased());
        for (Iterator<String> names = view.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("nik") && !fields.contains(name)) {
                names.remove();
            }
        }
        // An allowed field without a value is there as null: the answer's shape depends on the policy only.
        fields.stream().sorted().filter(f -> !view.has(f)).forEach(view::putNull);
        return view;
    }
}
