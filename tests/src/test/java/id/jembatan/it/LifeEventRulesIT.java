package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.model.Sex;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The life-event rules that keep the master index and the agencies from holding nonsense or from regressing: event
 * dates decide which address is current, a marriage needs two registered, living spouses of at least 19, parents'
 * NIKs encode their sex, and no date lies before 1900.
 */
class LifeEventRulesIT extends BusTestSupport {

    private static final ZoneOffset WIB = ZoneOffset.ofHours(7);

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    TaxSandbox tax;

    @Autowired
    JdbcClient db;

    /**
     * A citizen registered ten days ago moves twice: the move of yesterday arrives first, the move of five days ago
     * arrives after it (late), then a new name. Result: all three are answered 202 ACCEPTED; the master record keeps
     * yesterday's address; the late, older move is in the event journal but not published (the subscribers of
     * {@code citizen.events} get the birth, yesterday's move and the name, in order), so the tax office also keeps
     * yesterday's address; the late move sent again is a 200 DUPLICATE.
     */
    @Test
    void aLateOlderMoveIsRecordedButNeitherAppliedNorPublished() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(WIB).truncatedTo(ChronoUnit.SECONDS);
        Citizen citizen = fixtures.citizen();
        String nik = citizen.nik();
        BirthRegistered birth = new BirthRegistered(UUID.randomUUID(), now.minusDays(10), citizen);
        AddressChanged newer = new AddressChanged(UUID.randomUUID(), now.minusDays(1), nik,
                fixtures.otherAddress(citizen.address()));
        AddressChanged older = new AddressChanged(UUID.randomUUID(), now.minusDays(5), nik,
                fixtures.otherAddress(newer.address()));
        NameChanged renamed = fixtures.nameChange(nik, "Rina Kartika Sari");
        MessageConsumer subscriber = subscribeToCitizenEvents();

        for (CitizenEvent event : List.of(birth, newer, older, renamed)) {
            HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event));
            assertThat(response.statusCode()).as(event.eventType().wireName()).isEqualTo(202);
            assertThat(read(response).get("status").asText()).isEqualTo("ACCEPTED");
        }

        List<String> published = new ArrayList<>();
        while (!published.contains(renamed.eventId().toString())) {
            Message m = subscriber.receive(20_000);
            assertThat(m).as("published events of the citizen").isNotNull();
            if (groupOf(nik).equals(m.getStringProperty("JMSXGroupID"))) {
                published.add(m.getStringProperty("JembatanEventId"));
            }
        }
        assertThat(published).containsExactly(birth.eventId().toString(), newer.eventId().toString(),
                renamed.eventId().toString());
        JsonNode record = read(lookup(nik));
        assertThat(record.at("/address/street").asText()).isEqualTo(newer.address().street());
        assertThat(record.at("/address/villageCode").asText()).isEqualTo(newer.address().villageCode());
        assertThat(db.sql("SELECT COUNT(*) FROM citizen_event WHERE event_id = ?").param(older.eventId())
                .query(Long.class).single()).isEqualTo(1);
        await().atMost(DEFAULT_WAIT).until(() -> tax.taxpayer(nik)
                .map(t -> "Rina Kartika Sari".equals(t.fullName())).orElse(false));
        assertThat(tax.taxpayer(nik).orElseThrow().address()).isEqualTo(newer.address());

        HttpResponse<String> again = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(older));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(read(again).get("status").asText()).isEqualTo("DUPLICATE");
    }

    /** A move dated after the current one arrives. Result: applied as ever: the record has the new address. */
    @Test
    void aNewerMoveReplacesTheAddress() {
        OffsetDateTime now = OffsetDateTime.now(WIB).truncatedTo(ChronoUnit.SECONDS);
        Citizen citizen = fixtures.citizen();
        post(new BirthRegistered(UUID.randomUUID(), now.minusDays(3), citizen));
        AddressChanged moved = new AddressChanged(UUID.randomUUID(), now.minusDays(2), citizen.nik(),
                fixtures.otherAddress(citizen.address()));
        post(moved);

        assertThat(read(lookup(citizen.nik())).at("/address/street").asText()).isEqualTo(moved.address().street());
    }

    /**
     * A registered citizen marries a NIK nobody registered. Result: 409 {@code SPOUSE_UNKNOWN} at
     * {@code /spouseNik}; the citizen stays single.
     */
    @Test
    void marriageToAnUnregisteredSpouseIsRefused() {
        BirthRegistered birth = post(fixtures.birth());
        String stranger = fixtures.citizen().nik();

        assertConflict(fixtures.marriage(birth.citizen().nik(), stranger, CitizenFixtures.today().minusDays(3)),
                "SPOUSE_UNKNOWN", "/spouseNik");
        assertThat(read(lookup(birth.citizen().nik())).get("maritalStatus").asText()).isEqualTo("SINGLE");
    }

    /**
     * A registered citizen marries a registered citizen whose death is registered. Result: 409
     * {@code SPOUSE_DECEASED} at {@code /spouseNik}; the citizen stays single.
     */
    @Test
    void marriageToADeceasedSpouseIsRefused() {
        BirthRegistered birth = post(fixtures.birth());
        BirthRegistered spouse = post(fixtures.birth());
        post(fixtures.death(spouse.citizen().nik(), CitizenFixtures.today().minusDays(30)));

        assertConflict(fixtures.marriage(birth.citizen().nik(), spouse.citizen().nik(), CitizenFixtures.today().minusDays(3)),
                "SPOUSE_DECEASED", "/spouseNik");
        assertThat(read(lookup(birth.citizen().nik())).get("maritalStatus").asText()).isEqualTo("SINGLE");
    }

    /**
     * A newborn (30 days old) is married to an adult, and an adult to a spouse who turns 19 tomorrow. Result: 409
     * {@code MARRIAGE_BELOW_MINIMUM_AGE}, at {@code /nik} and at {@code /spouseNik}; both stay single. A spouse who
     * turned 19 today may marry: 202.
     */
    @Test
    void marriageBelowTheMinimumAgeIsRefused() {
        LocalDate today = LocalDate.now(WIB);
        BirthRegistered newborn = post(fixtures.birth(fixtures.citizen(Sex.FEMALE, today.minusDays(30))));
        BirthRegistered adult = post(fixtures.birth(fixtures.citizen(Sex.MALE, LocalDate.of(1990, 5, 17))));
        BirthRegistered almost19 = post(fixtures.birth(fixtures.citizen(Sex.FEMALE,
                today.minusYears(19).plusDays(1))));
        BirthRegistered just19 = post(fixtures.birth(fixtures.citizen(Sex.FEMALE, today.minusYears(19))));

        assertConflict(fixtures.marriage(newborn.citizen().nik(), adult.citizen().nik(), today),
                "MARRIAGE_BELOW_MINIMUM_AGE", "/nik");
        assertConflict(fixtures.marriage(adult.citizen().nik(), almost19.citizen().nik(), today),
                "MARRIAGE_BELOW_MINIMUM_AGE", "/spouseNik");
        assertThat(read(lookup(newborn.citizen().nik())).get("maritalStatus").asText()).isEqualTo("SINGLE");
        assertThat(read(lookup(adult.citizen().nik())).get("maritalStatus").asText()).isEqualTo("SINGLE");

        post(fixtures.marriage(adult.citizen().nik(), just19.citizen().nik(), today));
        assertThat(read(lookup(adult.citizen().nik())).get("maritalStatus").asText()).isEqualTo("MARRIED");
    }

    /**
     * A birth whose motherNik is a man's NIK (day without + 40). Result: 400 {@code PARENT_SEX_MISMATCH} at
     * {@code /citizen/motherNik}; the child is not registered.
     */
    @Test
    void aMothersNikOfAManIsRefused() throws Exception {
        BirthRegistered birth = fixtures.birth();
        ObjectNode body = (ObjectNode) JSON.readTree(json(birth));
        ((ObjectNode) body.get("citizen")).put("motherNik", fixtures.citizen(Sex.MALE, LocalDate.of(1972, 6, 1)).nik());

        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, body.toString());

        assertProblem(response, 400, "PARENT_SEX_MISMATCH");
        assertThat(read(response).get("errors").findValuesAsText("pointer")).contains("/citizen/motherNik");
        assertThat(lookup(birth.citizen().nik()).statusCode()).isEqualTo(404);
    }

    /**
     * A name change of a registered citizen dated 0001-01-01. Result: 400 {@code DATE_OUT_OF_RANGE} at
     * {@code /occurredAt}; the name is unchanged.
     */
    @Test
    void anEventDatedInYearOneIsRefused() {
        BirthRegistered birth = post(fixtures.birth());
        NameChanged ancient = new NameChanged(UUID.randomUUID(), OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, WIB),
                birth.citizen().nik(), "Nama Kuno");

        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(ancient));

        assertProblem(response, 400, "DATE_OUT_OF_RANGE");
        assertThat(read(response).get("errors").findValuesAsText("pointer")).contains("/occurredAt");
        assertThat(read(lookup(birth.citizen().nik())).get("fullName").asText()).isEqualTo(birth.citizen().fullName());
    }

    private <T extends CitizenEvent> T post(T event) {
        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event));
        assertThat(response.statusCode()).as(event.eventType().wireName() + ": " + response.body()).isEqualTo(202);
        return event;
    }

    private void assertConflict(CitizenEvent event, String code, String pointer) {
        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event));
        assertProblem(response, 409, code);
        assertThat(read(response).get("errors").findValuesAsText("pointer")).contains(pointer);
    }

    private HttpResponse<String> lookup(String nik) {
        return get("/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY);
    }
}
