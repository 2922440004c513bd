package id.jembatan.it;

import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
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

    /**
     * A message on the licensing office's queue that no row can be made of (not JSON: nothing the bus publishes, but
     * what a broken publisher could leave there), in a citizen's message group, and then a birth. Result: the message
     * lands in {@code dlq.licensing} unchanged, with its group and the dead-letter headers every dead letter carries
     * ({@code JembatanErrorCode} MALFORMED_JSON, a reason, {@code JembatanErrorDetails}); the birth is written to a
     * drop file as usual.
     */
    @Test
    void aMessageThatMakesNoRowIsDeadLetteredWithItsGroup() throws Exception {
        String group = "it-licensing-" + UUID.randomUUID();
        Session session = session(false);
        MessageConsumer deadLetters = session.createConsumer(session.createQueue("dlq.licensing"),
                "JMSXGroupID = '" + group + "'");
        TextMessage broken = session.createTextMessage("not an event");
        broken.setStringProperty("JMSXGroupID", group);
        broken.setStringProperty("JembatanEventType", "BirthRegistered"); // the queue's filter lets only these in
        session.createProducer(session.createTopic("citizen.events::licensing")).send(broken);
        BirthRegistered birth = fixtures.birth();

        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);

        Message dead = deadLetters.receive(20_000);
        assertThat(dead).as("dead letter in dlq.licensing").isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) dead).getText()).isEqualTo("not an event");
        assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo("MALFORMED_JSON");
        assertThat(dead.getStringProperty("JembatanErrorReason")).isNotBlank();
        assertThat(dead.getStringProperty("JembatanErrorDetails")).isNotNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> rowsOf(birth.citizen().nik()).size() == 1);
    }

    private List<LicenceUpdate> rowsOf(String nik) {
        return licensing.received().stream().filter(r -> r.nik().equals(nik)).toList();
    }
}
