package id.jembatan.sandbox.health;

import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The health sandbox's Patients in memory: every version of each, by server id, and the ids by identifier value.
 * Not thread-safe: {@link SandboxPatientProvider} calls it under its lock. What it hands out are copies.
 */
final class PatientVersions {

    private final Clock clock;
    /** Every version of every Patient by id, oldest first. */
    private final Map<String, List<Patient>> histories = new LinkedHashMap<>();
    /**
     * The ids of the Patients whose current version has an identifier with this value (any system). Searches and
     * conditional writes look their candidates up here instead of reading every Patient, which made each delivery
     * cost time in proportion to the Patients already held.
     */
    private final Map<String, Set<String>> idsByIdentifierValue = new HashMap<>();
    /** The position of each id in {@link #histories}, so that matches come in the order the Patients were made. */
    private final Map<String, Integer> positions = new HashMap<>();
    private long nextId = 1;
    /** Counted here, read without the lock ({@link #writes()}). */
    private final AtomicInteger writes = new AtomicInteger();

    PatientVersions(Clock clock) {
        this.clock = clock;
    }

    /** Stores {@code incoming} as the next version of Patient {@code id} (its first when new); a copy of it. */
    Patient store(String id, Patient incoming) {
        List<Patient> history = histories.computeIfAbsent(id, key -> {
            positions.put(key, positions.size());
            return new ArrayList<>();
        });
        if (!history.isEmpty()) {
            index(id, history.get(history.size() - 1), false);
        }
        String version = String.valueOf(history.size() + 1);
        Patient stored = incoming.copy();
        stored.setId(new IdType("Patient", id, version));
        stored.getMeta().setVersionId(version).setLastUpdated(Date.from(clock.instant()));
        history.add(stored);
        index(id, stored, true);
        writes.incrementAndGet();
        return stored.copy();
    }

    /** A server id no Patient has: the next number, skipping any a client already took through update-as-create. */
    String newId() {
        String id;
        do {
            id = String.valueOf(nextId++);
        } while (histories.containsKey(id));
        return id;
    }

    boolean exists(String id) {
        return histories.containsKey(id);
    }

    /** The current version of an existing Patient. */
    Patient latest(String id) {
        List<Patient> history = histories.get(id);
        return history.get(history.size() - 1).copy();
    }

    /** Version {@code version} (from 1) of the Patient, or null when there is no such Patient or version. */
    Patient version(String id, int version) {
        List<Patient> history = histories.get(id);
        return history == null || version < 1 || version > history.size() ? null : history.get(version - 1).copy();
    }

    /** The current version of the Patient, or null if there is no such Patient. */
    String currentVersion(String id) {
        List<Patient> history = histories.get(id);
        return history == null ? null : String.valueOf(history.size());
    }

    /** The current version of every Patient, in the order they were made. */
    List<Patient> all() {
        return histories.keySet().stream().map(this::latest).toList();
    }

    int writes() {
        return writes.get();
    }

    /** Ids of Patients with an identifier of that system (any system when null) and value, oldest first. */
    List<String> matchingIds(String system, String value) {
        if (value == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String id : idsByIdentifierValue.getOrDefault(value, Set.of())) {
            List<Patient> history = histories.get(id);
            Patient current = history.get(history.size() - 1);
            boolean match = current.getIdentifier().stream().anyMatch(identifier ->
                    (system == null || system.isEmpty() || system.equals(identifier.getSystem()))
                            && value.equals(identifier.getValue()));
            if (match) {
                ids.add(id);
            }
        }
        ids.sort(Comparator.comparing(positions::get));
        return ids;
    }

    /** Adds the id under each identifier value of this version of its Patient, or removes it. */
    private void index(String id, Patient version, boolean add) {
        for (Identifier identifier : version.getIdentifier()) {
            String value = identifier.getValue();
            if (value == null) {
                continue;
            }
            if (add) {
                idsByIdentifierValue.computeIfAbsent(value, key -> new HashSet<>()).add(id);
            } else {
                Set<String> ids = idsByIdentifierValue.get(value);
                if (ids != null && ids.remove(id) && ids.isEmpty()) {
                    idsByIdentifierValue.remove(value);
                }
            }
        }
    }
}
