package id.jembatan.connector.tax;

import id.jembatan.connector.CitizenDirectory;
import id.jembatan.schema.model.Citizen;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The master index's read side as the tax tests need it: citizens and deaths held in maps, children counted by
 * their parents' NIKs with the same rule as the index (living, under 18 on the day asked about).
 */
final class InMemoryCitizenDirectory implements CitizenDirectory {

    private static final int ADULT_AGE = 18;

    private final Map<String, Citizen> citizens = new ConcurrentHashMap<>();
    private final Map<String, LocalDate> deaths = new ConcurrentHashMap<>();

    InMemoryCitizenDirectory register(Citizen citizen) {
        citizens.put(citizen.nik(), citizen);
        return this;
    }

    InMemoryCitizenDirectory registerDeath(String nik, LocalDate dateOfDeath) {
        deaths.put(nik, dateOfDeath);
        return this;
    }

    @Override
    public Optional<Citizen> citizen(String nik) {
        return Optional.ofNullable(citizens.get(nik));
    }

    @Override
    public int livingMinorChildren(String parentNik, LocalDate asOf) {
        return (int) citizens.values().stream()
                .filter(c -> parentNik.equals(c.motherNik()) || parentNik.equals(c.fatherNik()))
                .filter(c -> c.birthDate() != null && !c.birthDate().isAfter(asOf)
                        && asOf.isBefore(c.birthDate().plusYears(ADULT_AGE)))
                .filter(c -> !deaths.containsKey(c.nik()) || deaths.get(c.nik()).isAfter(asOf))
                .count();
    }
}
