package id.jembatan.lookup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.index.CitizenRecord;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.policy.AccessPolicy;
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
 * sees only the fields its access policy gives the declared purpose. Every lookup, answered, refused or not
 * found, is appended to the audit chain with the fields that were returned.
 */
@Service
public class LookupService {

    private final MasterCitizenIndex index;
    private final AccessPolicy policy;
    private final AuditTrail audit;

    public LookupService(MasterCitizenIndex index, AccessPolicy policy, AuditTrail audit) {
        this.index = index;
        this.policy = policy;
        this.audit = audit;
    }

    /**
     * The citizen as {@code agency} may see it for {@code purpose}: {@code nik} plus exactly the allowed fields, or empty
     * when the NIK is not registered.
     *
     * @throws JembatanException NIK codes (400), {@code PURPOSE_REQUIRED} (400), {@code POLICY_DENIED} (403)
     */
    public Optional<ObjectNode> lookup(String agency, String purpose, String nik, String channel) {
        List<FieldError> invalid = Nik.check(nik, "/nik");
        if (!invalid.isEmpty()) {
            throw JembatanException.of(invalid);
        }
        if (purpose == null || purpose.isBlank()) {
            throw new JembatanException(ErrorCode.PURPOSE_REQUIRED,
                    "declare the purpose of the lookup (query parameter purpose)");
        }
        Set<String> fields;
        try {
            fields = policy.readable(agency, purpose);
        } catch (JembatanException denied) {
            audit.append(new AuditRecord(agency, nik, AuditAction.LOOKUP, purpose, List.of(), channel, "DENIED",
                    null));
            throw denied;
        }
        Optional<CitizenRecord> record = index.find(nik);
        if (record.isEmpty()) {
            audit.append(new AuditRecord(agency, nik, AuditAction.LOOKUP, purpose, List.of(), channel, "NOT_FOUND",
                    null));
            return Optional.empty();
        }
        ObjectNode view = project(record.get(), fields);
        List<String> returned = new ArrayList<>();
        view.fieldNames().forEachRemaining(returned::add);
        audit.append(new AuditRecord(agency, nik, AuditAction.LOOKUP, purpose, returned, channel, "OK", null));
        return Optional.of(view);
    }

    /** The record as JSON with {@code nik} and only the given fields ({@code deceased} is derived). */
    static ObjectNode project(CitizenRecord record, Set<String> fields) {
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
