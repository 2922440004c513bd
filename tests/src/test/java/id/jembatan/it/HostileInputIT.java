package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.fixtures.HostileEvents;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.DeathRegistered;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile corpus ({@link HostileEvents}: dates the agencies cannot carry, text that is not well-formed or hides
 * characters, over-long values, duplicate keys, parents of the wrong sex) against the running bus, over HTTP and
 * over the inbound queue, and the longest texts the bus accepts, stored and answered unchanged.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputIT extends BusTestSupport {

    private static final HostileEvents CORPUS = new HostileEvents(new CitizenFixtures());

    @Autowired
    TaxSandbox tax;

    @Autowired
    JdbcClient db;

    static List<HostileEvents.Case> corpus() {
        return CORPUS.all();
    }

    /** The length and encoding cases: those that once reached the database or turned into '?' over JMS. */
    static List<HostileEvents.Case> lengthAndEncoding() {
        List<HostileEvents.Case> cases = new ArrayList<>(CORPUS.lengths());
        cases.addAll(CORPUS.encoding());
        return cases;
    }

    /**
     * The civil registry posts each hostile birth of the corpus. Result: 400 problem+json with the case's code and
     * its JSON Pointer among the errors (the problem's shape is held to the OpenAPI document); the citizen is not
     * registered (404).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachHostileBirthIsRefusedOverHttpAndNothingIsStored(HostileEvents.Case hostile) {
        HttpResponse<String> response = send(request("/api/v1/events", CIVIL_REGISTRY_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(hostile.body())));

        assertProblem(response, 400, hostile.code().name());
        assertThat(read(response).get("errors").findValuesAsText("pointer")).as(response.body())
                .contains(hostile.pointer());
        assertThat(lookup(hostile.nik()).statusCode()).isEqualTo(404);
    }

    /**
     * The civil registry sends each length and encoding case of the corpus to {@code civilregistry.events.in} as a
     * bytes message, exactly as the bytes are. Result: each is dead-lettered at once (within seconds, where the
     * broker's redeliveries with back-off would take longer), unchanged, to {@code dlq.civil-registry} with the
     * case's {@code JembatanErrorCode} and pointer; the citizen is not registered.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lengthAndEncoding")
    void lengthAndEncodingCasesAreDeadLetteredAtOnceWithTheirCode(HostileEvents.Case hostile) throws Exception {
        MessageConsumer deadLetters = deadLettersOf(hostile.nik());
        try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
            Session session = registry.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(hostile.body());
            message.setStringProperty("JMSXGroupID", hostile.nik());
            session.createProducer(session.createQueue("civilregistry.events.in")).send(message);
        }

        Message dead = deadLetters.receive(10_000);

        assertThat(dead).as("dead letter").isNotNull();
        assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo(hostile.code().name());
        assertThat(JSON.readTree(dead.getStringProperty("JembatanErrorDetails")).findValuesAsText("pointer"))
                .contains(hostile.pointer());
        byte[] body = new byte[(int) ((BytesMessage) dead).getBodyLength()];
        ((BytesMessage) dead).readBytes(body);
        assertThat(body).isEqualTo(hostile.body());
        assertThat(lookup(hostile.nik()).statusCode()).isEqualTo(404);
    }

    /**
     * A JMS text message can carry what UTF-8 cannot: a birth whose name holds a raw unpaired surrogate (not an
     * escape). Result: dead-lettered at once as {@code MALFORMED_TEXT}, the text unchanged; before, the consumer's
     * UTF-8 encoding made the character a '?' and the birth was registered with it.
     */
    @Test
    void aTextMessageWithARawUnpairedSurrogateIsDeadLetteredAsMalformedText() throws Exception {
        BirthRegistered birth = citizens.birth();
        String nik = birth.citizen().nik();
        String text = json(birth).replace(birth.citizen().fullName(), "Budi\uD800 Santoso");
        MessageConsumer deadLetters = deadLettersOf(nik);
        try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
            Session session = registry.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage(text);
            message.setStringProperty("JMSXGroupID", nik);
            session.createProducer(session.createQueue("civilregistry.events.in")).send(message);
        }

        Message dead = deadLetters.receive(10_000);

        assertThat(dead).as("dead letter").isNotNull();
        assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo("MALFORMED_TEXT");
        assertThat(((TextMessage) dead).getText()).isEqualTo(text);
        assertThat(lookup(nik).statusCode()).isEqualTo(404);
    }

    /**
     * Births whose every text is as long as the limits allow: with emoji (a name of 1 letter + 49 emoji + 1 letter
     * is 100 UTF-16 units; the street 100 emoji), over HTTP, and with letters (100 and 200 characters), over JMS.
     * Result: both accepted; the master record answers every text exactly as sent (the database's columns hold
     * them), and the tax office's record has the same name.
     */
    @Test
    void theLongestTextsAreStoredAndAnsweredUnchanged() throws Exception {
        BirthRegistered emoji = CORPUS.longestTexts();
        BirthRegistered letters = CORPUS.longestLetters();

        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(emoji)).statusCode()).isEqualTo(202);
        try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
            Session session = registry.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
            producer.send(session.createTextMessage(json(letters)));
        }

        await().atMost(DEFAULT_WAIT).until(() -> lookup(letters.citizen().nik()).statusCode() == 200);
        for (BirthRegistered birth : List.of(emoji, letters)) {
            Citizen sent = birth.citizen();
            JsonNode record = read(lookup(sent.nik()));
            assertThat(record.get("fullName").asText()).isEqualTo(sent.fullName());
            assertThat(record.get("birthPlace").asText()).isEqualTo(sent.birthPlace());
            assertThat(record.get("occupation").asText()).isEqualTo(sent.occupation());
            assertThat(record.at("/address/street").asText()).isEqualTo(sent.address().street());
            for (String region : Arrays.asList("village", "district", "regency", "province")) {
                assertThat(record.at("/address/" + region).asText()).as(region).isEqualTo(sent.address().village());
            }
            await().atMost(DEFAULT_WAIT).until(() -> tax.taxpayer(sent.nik()).isPresent());
            assertThat(tax.taxpayer(sent.nik()).orElseThrow().fullName()).isEqualTo(sent.fullName());
            assertThat(tax.taxpayer(sent.nik()).orElseThrow().address()).isEqualTo(sent.address());
        }
    }

    /**
     * A value the database refuses although validation let it through (simulated: a constraint allowing 20
     * characters of place of death, for this test only): a death with a 27-character place, over HTTP and over JMS. Result:
     * HTTP answers 500 {@code INTERNAL_ERROR} as problem+json, the JMS message is dead-lettered at once with
     * {@code JembatanErrorCode} {@code INTERNAL_ERROR}; neither citizen is recorded as deceased; the log names the
     * failure's types and SQL state but never the refused value (the database driver's message quotes it).
     */
    @Test
    void aValueTheDatabaseRefusesIsRefusedAloneAndNeverLogged(CapturedOutput output) throws Exception {
        String place = "RSUD Dr. Cipto Mangunkusumo";
        BirthRegistered overHttp = citizens.birth();
        BirthRegistered overJms = citizens.birth();
        for (BirthRegistered birth : List.of(overHttp, overJms)) {
            assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        }
        MessageConsumer deadLetters = deadLettersOf(overJms.citizen().nik());
        // A constraint, not a narrower column type: a changed column type would make every statement PostgreSQL
        // has cached for this table on the pool's connections fail ("cached plan must not change result type") in
        // the tests that follow on this bus.
        db.sql("ALTER TABLE citizen ADD CONSTRAINT test_place_of_death_short CHECK (char_length(place_of_death) <= 20)")
                .update();
        try {
            DeathRegistered httpDeath = new DeathRegistered(UUID.randomUUID(), overHttp.occurredAt(),
                    overHttp.citizen().nik(), CitizenFixtures.today().minusDays(1), place);
            assertProblem(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(httpDeath)), 500,
                    "INTERNAL_ERROR");

            DeathRegistered jmsDeath = new DeathRegistered(UUID.randomUUID(), overJms.occurredAt(),
                    overJms.citizen().nik(), CitizenFixtures.today().minusDays(1), place);
            try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
                Session session = registry.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TextMessage message = session.createTextMessage(json(jmsDeath));
                message.setStringProperty("JMSXGroupID", overJms.citizen().nik());
                session.createProducer(session.createQueue("civilregistry.events.in")).send(message);
            }
            Message dead = deadLetters.receive(10_000);
            assertThat(dead).as("dead letter").isNotNull();
            assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo("INTERNAL_ERROR");
            assertThat(dead.getStringProperty("JembatanErrorReason")).doesNotContain("Cipto");
        } finally {
            db.sql("ALTER TABLE citizen DROP CONSTRAINT test_place_of_death_short").update();
        }
        for (BirthRegistered birth : List.of(overHttp, overJms)) {
            assertThat(read(lookup(birth.citizen().nik())).path("dateOfDeath").isTextual()).isFalse();
        }
        assertThat(output.getAll()).contains("breaks a database constraint").doesNotContain("Cipto");
    }

    private MessageConsumer deadLettersOf(String nik) throws Exception {
        Session session = session(false);
        return session.createConsumer(session.createQueue("dlq.civil-registry"), "JMSXGroupID = '" + nik + "'");
    }

    private HttpResponse<String> lookup(String nik) {
        return get("/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY);
    }
}
