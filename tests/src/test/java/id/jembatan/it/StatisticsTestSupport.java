package id.jembatan.it;

import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.Sex;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/** For the statistics tests: births of a known number, at known times, all of citizens living in one regency. */
abstract class StatisticsTestSupport extends BusTestSupport {

    /**
     * Registers {@code births.get(at)} births at each time {@code at}, of women born in 2010 who all live in one
     * regency (the fixtures' first pick).
     *
     * @return the regency's code
     */
    protected String birthsInOneRegency(Map<OffsetDateTime, Integer> births) {
        String regency = null;
        int born = 0;
        for (Map.Entry<OffsetDateTime, Integer> at : new TreeMap<>(births).entrySet()) {
            for (int i = 0; i < at.getValue(); ) {
                Citizen citizen = citizens.citizen(Sex.FEMALE, LocalDate.of(2010, 6, 1).plusDays(born));
                if (regency == null) {
                    regency = citizen.address().regencyCode();
                }
                if (citizen.address().regencyCode().equals(regency)) {
                    BirthRegistered birth = new BirthRegistered(UUID.randomUUID(), at.getKey(), citizen);
                    assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode())
                            .isEqualTo(202);
                    i++;
                    born++;
                }
            }
        }
        return regency;
    }
}
