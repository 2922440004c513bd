package id.jembatan.audit;

import id.jembatan.policy.FieldFilter;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.EventType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventFieldsTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();

    /** A full birth names every citizen field (the address as one), never the envelope. */
    @Test
    void aBirthNamesEveryCitizenField() {
        assertThat(EventFields.of(fixtures.birth())).containsExactly("nik", "familyCardNumber", "fullName",
                "birthPlace", "birthDate", "sex", "religion", "maritalStatus", "occupation", "nationality",
                "motherNik", "fatherNik", "address");
    }

    /** Absent fields are not named: a citizen without occupation or father gives neither. */
    @Test
    void absentFieldsAreLeftOut() {
        Citizen c = fixtures.citizen();
        BirthRegistered birth = fixtures.birth(new Citizen(c.nik(), c.familyCardNumber(), c.fullName(),
                c.birthPlace(), c.birthDate(), c.sex(), c.religion(), c.maritalStatus(), null, c.nationality(),
                c.motherNik(), null, c.address()));

        assertThat(EventFields.of(birth)).doesNotContain("occupation", "fatherNik").contains("motherNik");
    }

    /** Event-level fields are named as agencies' receives lists name them. */
    @Test
    void eventLevelFieldsOfADeath() {
        assertThat(EventFields.of(fixtures.death(fixtures.citizen().nik(), CitizenFixtures.today().minusDays(2))))
                .containsExactly("nik", "dateOfDeath", "placeOfDeath");
    }

    /** After a field filter, only what the agency was given remains, and every name is one a filter knows. */
    @Test
    void afterTheFieldFilterOnlyWhatWasGiven() {
        FieldFilter filter = FieldFilter.of("licensing", List.of("fullName", "birthDate", "address"),
                List.of(EventType.BIRTH_REGISTERED));

        List<String> given = EventFields.of(filter.apply(fixtures.birth()));

        assertThat(given).containsExactly("nik", "fullName", "birthDate", "address");
        assertThat(FieldFilter.FIELDS).containsAll(given);
    }
}
