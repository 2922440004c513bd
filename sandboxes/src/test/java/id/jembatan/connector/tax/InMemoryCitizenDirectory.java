package id.jembatan.connector.tax;

import id.jembatan.connector.CitizenDirectory;
import id.jembatan.schema.model.Citizen;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The master index's read side as the tax tests need it: citizens and deaths held in maps, children counted by
 * their parents' NIKs with the same rule as the index (living, under 18 on the day asked about). Remembers the
 * NIKs of each question for all of them at once.
 */
final class InMemoryCitizenDirectory implements CitizenDirectory {

    private static final int ADULT_AGE = 18;

    private final Map<String, Citizen> citizens = new ConcurrentHashMap<>();
    private final Map<String, LocalDate> deaths = new ConcurrentHashMap<>();
    private final List<List<String>> childrenQuestions = new CopyOnWriteArrayList<>();

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

    @Override
    public Map<String, Integer> livingMinorChildren(Collection<String> parentNiks, LocalDate asOf) {
        childrenQuestions.add(List.copyOf(parentNiks));
        return CitizenDirectory.super.livingMinorChildren(parentNiks, asOf);
    }

    /** The NIKs of each question for several numbers of children, in order. */
    List<List<String>> childrenQuestions() {
        return List.copyOf(childrenQuestions);
    }
}
