package id.jembatan.connector;

import id.jembatan.schema.model.Citizen;

import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only questions a connector may ask of the master citizen index while it delivers (for example a parent's
 * number of dependants for the tax office). Implemented by the bus; connectors never write the index.
 */
public interface CitizenDirectory {

    /** The current master data of a citizen, if registered. */
    Optional<Citizen> citizen(String nik);

    /** Living children registered with this NIK as mother or father who are under 18 on {@code asOf}. */
    int livingMinorChildren(String parentNik, LocalDate asOf);

    /**
     * {@link #livingMinorChildren(String, LocalDate)} of each of {@code parentNiks}, in their order (one entry per
     * distinct NIK). An implementation answers them in one query where it can.
     */
    default Map<String, Integer> livingMinorChildren(Collection<String> parentNiks, LocalDate asOf) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String parentNik : parentNiks) {
            counts.computeIfAbsent(parentNik, nik -> livingMinorChildren(nik, asOf));
        }
        return counts;
    }
}
