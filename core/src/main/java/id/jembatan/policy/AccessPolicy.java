package id.jembatan.policy;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySettings;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.settings.InvalidConfigurationException;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one access policy of the bus: which fields each agency receives with events, which fields a lookup may
 * return for each declared purpose, and which notifications each agency may report to an owner. Checked at
 * start-up: an unknown agency, field, notification type or empty purpose stops the start with a message naming the
 * key (the purposes' names and that each lists a field by Bean Validation of {@link AccessPolicySettings}, the rest
 * here). The purposes named anywhere in it are the only purposes the bus knows: a lookup for any other is refused
 * before anything is recorded, one for a known purpose the agency does not have is refused ({@code POLICY_DENIED})
 * and recorded.
 */
@Component
@DependsOn("configurationCheck")
public class AccessPolicy {

    /** Fields a lookup can return, by their names in the master record's JSON. */
    public static final Set<String> LOOKUP_FIELDS;

    static {
        Set<String> fields = new LinkedHashSet<>(FieldFilter.FIELDS);
        fields.removeAll(Set.of("dateOfMarriage", "dateOfDivorce", "nik"));
        fields.add("deceased");
        LOOKUP_FIELDS = Set.copyOf(fields);
    }

    /** Longest purpose name the policy may use (and the audit chain stores). */
    public static final int MAX_PURPOSE_LENGTH = 64;

    private record Rules(Set<String> receive, Map<String, Set<String>> purposes, String fhirPurpose,
                         Set<NotificationType> notifications, Map<String, Set<String>> services) {
    }

    private final Map<String, Rules> byAgency = new LinkedHashMap<>();
    private final Set<String> knownPurposes;

    public AccessPolicy(AccessPolicySettings settings, AgenciesSettings agencies) {
        InvalidConfigurationException.throwIfAny(problems(settings, agencies));
        settings.agencies().forEach((agency, policy) -> {
            Map<String, Set<String>> purposes = new LinkedHashMap<>();
            policy.purposes().forEach((purpose, fields) -> purposes.put(purpose, Set.copyOf(fields)));
            Set<NotificationType> notifications = policy.notifications().stream()
                    .map(NotificationType::fromWireName).flatMap(Optional::stream)
                    .collect(Collectors.toUnmodifiableSet());
            Map<String, Set<String>> services = new LinkedHashMap<>();
            policy.services().forEach((owner, offered) -> offered.forEach((service, callPurposes) ->
                    services.put(serviceKey(owner, service), Set.copyOf(callPurposes))));
            byAgency.put(agency, new Rules(Set.copyOf(policy.receive()), purposes, policy.fhirPurpose(),
                    notifications, Map.copyOf(services)));
        });
        knownPurposes = byAgency.values().stream().flatMap(r -> Stream.concat(
                        r.purposes().keySet().stream(), r.services().values().stream().flatMap(Set::stream)))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * What is wrong with the access policy beyond its settings' own constraints: an agency that is not configured,
     * an unknown field, a FHIR purpose that is not one of the agency's, an unknown notification type or one the
     * agency owns the confirmation of; each problem naming its key.
     */
    public static List<String> problems(AccessPolicySettings settings, AgenciesSettings agencies) {
        List<String> problems = new ArrayList<>();
        settings.agencies().forEach((agency, policy) -> {
            String key = "jembatan.access-policy.agencies." + agency;
            if (!agencies.agencies().containsKey(agency)) {
                problems.add(key + ": unknown agency (configured agencies: " + agencies.agencies().keySet() + ")");
            }
            unknown(policy.receive(), FieldFilter.FIELDS).forEach(f -> problems.add(key + ".receive: unknown field '"
                    + f + "' (known: " + sorted(FieldFilter.FIELDS) + ")"));
            policy.purposes().forEach((purpose, fields) -> unknown(fields, LOOKUP_FIELDS).forEach(f -> problems.add(
                    key + ".purposes." + purpose + ": unknown field '" + f + "' (known: " + sorted(LOOKUP_FIELDS)
                            + ")")));
            if (policy.fhirPurpose() != null && !policy.purposes().containsKey(policy.fhirPurpose())) {
                problems.add(key + ".fhir-purpose: '" + policy.fhirPurpose() + "' is not one of its purposes");
            }
            for (String name : policy.notifications()) {
                Optional<NotificationType> type = NotificationType.fromWireName(name);
                if (type.isEmpty()) {
                    problems.add(key + ".notifications: unknown notification type '" + name + "' (known: "
                            + Arrays.stream(NotificationType.values()).map(NotificationType::wireName)
                            .collect(Collectors.joining(", ")) + ")");
                    continue;
                }
                AgencySettings reporter = agencies.agencies().get(agency);
                String confirmedBy = type.get().confirmedBy().wireName();
                if (reporter != null && reporter.owns().contains(confirmedBy)) {
                    problems.add(key + ".notifications: " + agency + " owns " + confirmedBy
                            + " and records it with its own event, it cannot report " + name);
                }
            }
        });
        return problems;
    }

    /**
     * Whether {@code purpose} is one the policy names for any agency. Only such purposes are ever checked against
     * an agency's rules and recorded in the audit chain: anything else an agency writes there (markup, control
     * characters, a made-up legal basis) is refused before it reaches the database.
     */
    public boolean isKnownPurpose(String purpose) {
        return purpose != null && purpose.length() <= MAX_PURPOSE_LENGTH && knownPurposes.contains(purpose);
    }

    /** The purposes {@code agency} may look citizens up for, sorted (empty when it has none). */
    public List<String> purposesOf(String agency) {
        Rules rules = byAgency.get(agency);
        return rules == null ? List.of() : rules.purposes().keySet().stream().sorted().toList();
    }

    /**
     * The purposes {@code agency} may call the owner service {@code owner}/{@code service} for (empty: it may not
     * call it at all).
     */
    public Set<String> servicePurposes(String agency, String owner, String service) {
        Rules rules = byAgency.get(agency);
        return rules == null ? Set.of() : rules.services().getOrDefault(serviceKey(owner, service), Set.of());
    }

    private static String serviceKey(String owner, String service) {
        return owner + "/" + service;
    }

    /** Whether {@code agency} may report notifications of {@code type} to the owner. */
    public boolean mayNotify(String agency, NotificationType type) {
        Rules rules = byAgency.get(agency);
        return rules != null && rules.notifications().contains(type);
    }

    /** Fields {@code agency} receives with events (empty when it has no policy). */
    public Set<String> receivable(String agency) {
        Rules rules = byAgency.get(agency);
        return rules == null ? Set.of() : rules.receive();
    }

    /**
     * Fields a lookup by {@code agency} for {@code purpose} may return.
     *
     * @throws JembatanException {@code POLICY_DENIED} when the agency has no such purpose
     */
    public Set<String> readable(String agency, String purpose) {
        Rules rules = byAgency.get(agency);
        Set<String> fields = rules == null ? null : rules.purposes().get(purpose);
        if (fields == null) {
            throw new JembatanException(ErrorCode.POLICY_DENIED, "agency '" + agency
                    + "' may not look citizens up for purpose '" + purpose + "'"
                    + (rules == null || rules.purposes().isEmpty() ? "" : " (its purposes: "
                    + sorted(rules.purposes().keySet()) + ")"));
        }
        return fields;
    }

    /** The purpose an agency's FHIR searches are made under, if it has one. */
    public Optional<String> fhirPurpose(String agency) {
        return Optional.ofNullable(byAgency.get(agency)).map(Rules::fhirPurpose);
    }

    private static List<String> unknown(List<String> fields, Set<String> known) {
        return fields.stream().filter(f -> !known.contains(f)).toList();
    }

    private static String sorted(Set<String> names) {
        return names.stream().sorted().collect(Collectors.joining(", "));
    }
}
