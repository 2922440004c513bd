package id.jembatan.it;

import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Licensing receives CSV drop files (RFC 4180) in its folder; a death revokes the person's licences. */
class LicensingDeliveryIT extends BusTestSupport {

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    LicensingSandbox licensing;

    /**
     * A citizen is registered, moves, changes name, marries and dies. Result: the licensing office reads rows for
     * the registration, the move, the new name and the death (a marriage does not concern it), in that order,
     * with only the fields it may receive; the death revokes the holder's licences. No temporary file is left.
     */
    @Test
    void lifeEventsArriveAsCsvRowsAndDeathRevokes() throws Exception {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        var moved = fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address()));
        var renamed = fixtures.nameChange(nik, "Dewi Lestari Putri");
        BirthRegistered spouse = fixtures.birth();
        var married = fixtures.marriage(nik, spouse.citizen().nik(), CitizenFixtures.today().minusDays(20));
        var died = fixtures.death(nik, CitizenFixtures.today().minusDays(1));
        for (var event : List.of(birth, spouse, moved, renamed, married, died)) {
            assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event)).statusCode()).isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> rowsOf(nik).size() == 4);
        List<LicenceUpdate> rows = rowsOf(nik);
        assertThat(rows).extracting(LicenceUpdate::eventId)
                .containsExactly(birth.eventId(), moved.eventId(), renamed.eventId(), died.eventId());
        assertThat(rows).extracting(LicenceUpdate::action).containsExactly(LicenceUpdate.Action.REGISTER,
                LicenceUpdate.Action.UPDATE_ADDRESS, LicenceUpdate.Action.UPDATE_NAME, LicenceUpdate.Action.REVOKE);
        assertThat(rows.get(0).birthDate()).isEqualTo(birth.citizen().birthDate());
        assertThat(rows.get(1).address()).isEqualTo(moved.address());
        var holder = licensing.holder(nik).orElseThrow();
        assertThat(holder.fullName()).isEqualTo("Dewi Lestari Putri");
        assertThat(holder.address()).isEqualTo(moved.address());
        assertThat(holder.revokedOn()).isEqualTo(died.dateOfDeath());
        try (Stream<java.nio.file.Path> files = Files.list(licensing.directory())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        String csv;
        try (Stream<java.nio.file.Path> files = Files.list(licensing.directory().resolve("processed"))) {
            csv = files.map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(text -> text.contains(nik)).findFirst().orElseThrow();
        }
        assertThat(csv).doesNotContain(birth.citizen().religion().name())
                .doesNotContain(birth.citizen().familyCardNumber());
    }

    private List<LicenceUpdate> rowsOf(String nik) {
        return licensing.received().stream().filter(r -> r.nik().equals(nik)).toList();
    }
}
