package id.jembatan.policy;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.EventType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldFilterTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Test
    void keepsOnlyAllowedFieldsAndTheIdentifiers() {
        BirthRegistered birth = fixtures.birth();
        FieldFilter filter = FieldFilter.of("licensing", List.of("fullName", "address"),
                List.of(EventType.BIRTH_REGISTERED));

        BirthRegistered filtered = (BirthRegistered) filter.apply(birth);

        assertThat(filtered.eventId()).isEqualTo(birth.eventId());
        assertThat(filtered.occurredAt()).isEqualTo(birth.occurredAt());
        assertThat(filtered.citizen().nik()).isEqualTo(birth.citizen().nik());
        assertThat(filtered.citizen().fullName()).isEqualTo(birth.citizen().fullName());
        assertThat(filtered.citizen().address()).isEqualTo(birth.citizen().address());
        assertThat(filtered.citizen().religion()).isNull();
        assertThat(filtered.citizen().motherNik()).isNull();
        assertThat(filtered.citizen().birthDate()).isNull();
        assertThat(filtered.citizen().familyCardNumber()).isNull();
    }

    @Test
    void removesEventLevelFieldsToo() {
        DeathRegistered death = fixtures.death(fixtures.citizen().nik(), CitizenFixtures.today().minusDays(1));
        FieldFilter filter = FieldFilter.of("tax", List.of("dateOfDeath"), List.of(EventType.DEATH_REGISTERED));

        DeathRegistered filtered = (DeathRegistered) filter.apply(death);

        assertThat(filtered.dateOfDeath()).isEqualTo(death.dateOfDeath());
        assertThat(filtered.placeOfDeath()).isNull();
        assertThat(filtered.nik()).isEqualTo(death.nik());
    }

    /** A delivery filters the event as published (its canonical JSON): the same result as from the event. */
    @Test
    void filtersThePublishedJsonLikeTheEvent() {
        BirthRegistered birth = fixtures.birth();
        DeathRegistered death = fixtures.death(fixtures.citizen().nik(), CitizenFixtures.today().minusDays(1));
        FieldFilter filter = FieldFilter.of("tax", List.of("fullName", "dateOfDeath"),
                List.of(EventType.BIRTH_REGISTERED, EventType.DEATH_REGISTERED));

        assertThat(filter.apply(CanonicalJson.write(birth))).isEqualTo(filter.apply(birth));
        assertThat(filter.apply(CanonicalJson.write(death))).isEqualTo(filter.apply(death));
        assertThat(((BirthRegistered) filter.apply(CanonicalJson.write(birth))).citizen().birthDate()).isNull();
    }

    @Test
    void refusesMalformedJson() {
        FieldFilter filter = FieldFilter.of("tax", List.of(), List.of());

        assertThatThrownBy(() -> filter.apply("{\"type\":"))
                .isInstanceOfSatisfying(JembatanException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }

    @Test
    void refusesUnknownFieldsAndSubscriptionsItCannotServe() {
        assertThatThrownBy(() -> FieldFilter.of("tax", List.of("salary"), List.of()))
                .hasMessageContaining("access policy of tax").hasMessageContaining("unknown field 'salary'");
        assertThatThrownBy(() -> FieldFilter.of("tax", List.of("fullName"), List.of(EventType.ADDRESS_CHANGED)))
                .hasMessageContaining("subscribes to AddressChanged but does not receive 'address'");
    }
}
