package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.Sex;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/events} against the running bus: every answer of the v1 contract. */
class IngestHttpIT extends BusTestSupport {

    private final CitizenFixtures fixtures = new CitizenFixtures();

    /**
     * The civil registry posts a birth. Result: 202 ACCEPTED with the event id; the canonical event is published on
     * {@code citizen.events}, persistent, with the citizen's message group (not the NIK) and the event id and type
     * as headers; the master index holds the citizen.
     */
    @Test
    void birthIsAcceptedPublishedAndIndexed() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        BirthRegistered birth = fixtures.birth();

        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(read(response).get("eventId").asText()).isEqualTo(birth.eventId().toString());
        assertThat(read(response).get("status").asText()).isEqualTo("ACCEPTED");
        Message published = receiveEvent(subscriber, birth.eventId().toString());
        assertThat(published.getStringProperty("JMSXGroupID")).isEqualTo(groupOf(birth.citizen().nik()))
                .doesNotContain(birth.citizen().nik());
        assertThat(published.getStringProperty("JembatanEventType")).isEqualTo("BirthRegistered");
        assertThat(published.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        JsonNode payload = JSON.readTree(((TextMessage) published).getText());
        assertThat(payload).isEqualTo(JSON.readTree(json(birth)));

        HttpResponse<String> lookup = get("/api/v1/citizens/" + birth.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY);
        assertThat(lookup.statusCode()).isEqualTo(200);
        assertThat(read(lookup).get("fullName").asText()).isEqualTo(birth.citizen().fullName());
        assertThat(read(lookup).get("address").get("villageCode").asText())
                .isEqualTo(birth.citizen().address().villageCode());
    }

    /**
     * The same event is posted again, with its keys in another order and other white space, then another birth.
     * Result: 200 DUPLICATE, and nothing is published a second time: the other birth is the next event published.
     */
    @Test
    void repeatedEventIsADuplicateAndNotPublishedAgain() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        BirthRegistered birth = fixtures.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        receiveEvent(subscriber, birth.eventId().toString());

        ObjectNode tree = (ObjectNode) JSON.readTree(json(birth));
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        Collections.reverse(names);
        ObjectNode reordered = JSON.createObjectNode();
        names.forEach(n -> reordered.set(n, tree.get(n)));
        HttpResponse<String> again = postJson("/api/v1/events", CIVIL_REGISTRY_KEY,
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reordered));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(read(again).get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(read(again).get("eventId").asText()).isEqualTo(birth.eventId().toString());
        // Published in outbox order: a repeat of the birth would come before a birth posted after it.
        BirthRegistered marker = fixtures.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(marker)).statusCode()).isEqualTo(202);
        assertThat(publishedThrough(subscriber, marker.eventId().toString()))
                .doesNotContain(birth.eventId().toString()).endsWith(marker.eventId().toString());
    }

    /** An event id is reused for a different event. Result: 409 EVENT_ID_CONFLICT; the record is unchanged. */
    @Test
    void reusedEventIdWithAnotherBodyIsAConflict() {
        BirthRegistered birth = fixtures.birth();
        postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth));
        var rename = fixtures.nameChange(birth.citizen().nik(), "Nama Lain");
        var sameId = new id.jembatan.schema.model.NameChanged(birth.eventId(), rename.occurredAt(), rename.nik(),
                rename.fullName());

        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(sameId));

        assertProblem(response, 409, "EVENT_ID_CONFLICT");
        assertThat(read(response).get("errors").get(0).get("pointer").asText()).isEqualTo("/eventId");
        assertThat(read(get("/api/v1/citizens/" + birth.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY))
                .get("fullName").asText()).isEqualTo(birth.citizen().fullName());
    }

    /** Bodies that are not JSON objects. Result: 400 MALFORMED_JSON as problem+json. */
    @Test
    void malformedBodiesAreRefused() {
        assertProblem(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, "{\"eventId\": "), 400, "MALFORMED_JSON");
        assertProblem(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, "[1, 2]"), 400, "MALFORMED_JSON");
        assertProblem(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, ""), 400, "MALFORMED_JSON");
        assertProblem(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, "[".repeat(500) + "]".repeat(500)), 400,
                "JSON_LIMIT_EXCEEDED");
    }

    /** An unknown event type, and a birth missing a required field. Result: 400 with the pointer of the field. */
    @Test
    void schemaViolationsNameTheField() throws Exception {
        ObjectNode unknownType = (ObjectNode) JSON.readTree(json(fixtures.birth()));
        unknownType.put("type", "Reincarnation");
        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, unknownType.toString());
        assertProblem(response, 400, "EVENT_TYPE_UNKNOWN");
        assertThat(read(response).get("errors").get(0).get("pointer").asText()).isEqualTo("/type");

        ObjectNode missingName = (ObjectNode) JSON.readTree(json(fixtures.birth()));
        ((ObjectNode) missingName.get("citizen")).remove("fullName");
        response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, missingName.toString());
        assertProblem(response, 400, "SCHEMA_VIOLATION");
        assertThat(read(response).get("errors").toString()).contains("fullName");

        ObjectNode badRt = (ObjectNode) JSON.readTree(json(fixtures.birth()));
        ((ObjectNode) badRt.get("citizen").get("address")).put("rt", "1");
        response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, badRt.toString());
        assertProblem(response, 400, "SCHEMA_VIOLATION");
        assertThat(read(response).get("errors").get(0).get("pointer").asText()).isEqualTo("/citizen/address/rt");
    }

    /**
     * Births whose NIK contradicts the data rules: an impossible date, a woman's NIK without the +40 day, a region
     * code that does not exist in the address. Result: 400 with the rule's code and the pointer of the field.
     */
    @Test
    void dataRulesAreEnforced() throws Exception {
        Citizen woman = fixtures.citizen(Sex.FEMALE, LocalDate.of(1990, 3, 14));
        String maleNik = woman.nik().substring(0, 6) + "14" + woman.nik().substring(8);
        assertRejected(withCitizenField(woman, "nik", maleNik), "NIK_SEX_MISMATCH", "/citizen/nik");

        String impossibleDate = woman.nik().substring(0, 6) + "300290" + woman.nik().substring(12);
        assertRejected(withCitizenField(woman, "nik", impossibleDate), "NIK_INVALID_DATE", "/citizen/nik");

        assertRejected(withCitizenField(woman, "nik", woman.nik().substring(1)), "NIK_INVALID_LENGTH",
                "/citizen/nik");

        ObjectNode unknownVillage = (ObjectNode) JSON.readTree(json(fixtures.birth(woman)));
        ((ObjectNode) unknownVillage.get("citizen").get("address")).put("villageCode",
                woman.address().districtCode() + "9999");
        assertRejected(unknownVillage.toString(), "ADDRESS_UNKNOWN_REGION_CODE", "/citizen/address/villageCode");

        assertThat(get("/api/v1/citizens/" + woman.nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY).statusCode()).isEqualTo(404);
    }

    /**
     * Events that contradict the master index: a second birth of one NIK, the death of an unknown NIK, a second
     * death, a change after death, a marriage to oneself, a divorce from someone the citizen is not married to.
     * Result: the rule's code, and the record is not touched.
     */
    @Test
    void domainRulesRefuseNonsenseAndKeepTheRecord() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);

        BirthRegistered secondBirth = new BirthRegistered(UUID.randomUUID(), birth.occurredAt(), birth.citizen());
        assertRejected(json(secondBirth), "CITIZEN_ALREADY_REGISTERED", "/citizen/nik");

        String stranger = fixtures.citizen().nik();
        assertRejected(json(fixtures.death(stranger, CitizenFixtures.today().minusDays(1))), "CITIZEN_UNKNOWN", "/nik");
        assertRejected(json(fixtures.marriage(nik, nik, CitizenFixtures.today().minusDays(3))), "SPOUSE_IS_SELF",
                "/spouseNik");
        assertRejected(json(fixtures.divorce(nik, stranger, CitizenFixtures.today().minusDays(3))),
                "CITIZEN_NOT_MARRIED_TO_SPOUSE", "/spouseNik");
        assertRejected(json(fixtures.death(nik, birth.citizen().birthDate().minusDays(1))), "EVENT_BEFORE_BIRTH",
                "/dateOfDeath");

        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY,
                json(fixtures.death(nik, CitizenFixtures.today().minusDays(2)))).statusCode()).isEqualTo(202);
        assertRejected(json(fixtures.death(nik, CitizenFixtures.today().minusDays(1))), "CITIZEN_ALREADY_DECEASED", "/nik");
        assertRejected(json(fixtures.nameChange(nik, "Nama Baru")), "CITIZEN_DECEASED", "/nik");

        JsonNode record = read(get("/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY));
        assertThat(record.get("fullName").asText()).isEqualTo(birth.citizen().fullName());
        assertThat(record.get("dateOfDeath").asText()).isEqualTo(CitizenFixtures.today().minusDays(2).toString());
        assertThat(record.get("maritalStatus").asText()).isEqualTo(birth.citizen().maritalStatus().name());
    }

    /**
     * A citizen's life: birth, move, new name, marriage, divorce, death. Result: all accepted, published in that
     * order in the citizen's message group, and the master record shows the outcome.
     */
    @Test
    void aLifeIsAppliedAndPublishedInOrder() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        BirthRegistered spouseBirth = fixtures.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(spouseBirth)).statusCode()).isEqualTo(202);
        String spouse = spouseBirth.citizen().nik();
        var events = List.of(birth,
                fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address())),
                fixtures.nameChange(nik, "Siti Nurhaliza Putri"),
                fixtures.marriage(nik, spouse, CitizenFixtures.today().minusDays(30)),
                fixtures.divorce(nik, spouse, CitizenFixtures.today().minusDays(10)),
                fixtures.death(nik, CitizenFixtures.today().minusDays(1)));
        for (var event : events) {
            assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event)).statusCode())
                    .as(event.eventType().wireName()).isEqualTo(202);
        }

        List<String> received = new ArrayList<>();
        while (received.size() < events.size()) {
            Message m = subscriber.receive(20_000);
            assertThat(m).as("published events of " + nik).isNotNull();
            if (groupOf(nik).equals(m.getStringProperty("JMSXGroupID"))) {
                received.add(m.getStringProperty("JembatanEventId"));
            }
        }
        assertThat(received).containsExactlyElementsOf(events.stream().map(e -> e.eventId().toString()).toList());

        JsonNode record = read(get("/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY));
        assertThat(record.get("fullName").asText()).isEqualTo("Siti Nurhaliza Putri");
        assertThat(record.get("maritalStatus").asText()).isEqualTo("DIVORCED");
        assertThat(record.get("address").get("villageCode").asText())
                .isEqualTo(((id.jembatan.schema.model.AddressChanged) events.get(1)).address().villageCode());
    }

    /** No key, a wrong key. Result: 401 AGENCY_UNAUTHENTICATED as problem+json. */
    @Test
    void agenciesMustAuthenticate() {
        String body = json(fixtures.birth());
        assertProblem(postJson("/api/v1/events", null, body), 401, "AGENCY_UNAUTHENTICATED");
        assertProblem(postJson("/api/v1/events", "not-a-key", body), 401, "AGENCY_UNAUTHENTICATED");
        assertProblem(get("/api/v1/citizens/3171014508990001?purpose=REGISTRY_ADMINISTRATION", null), 401, "AGENCY_UNAUTHENTICATED");
    }

    /** The tax office posts a life event. Result: 403 NOT_OWNER; nothing is recorded. */
    @Test
    void onlyTheOwnerMaySendEvents() {
        BirthRegistered birth = fixtures.birth();
        assertProblem(postJson("/api/v1/events", TAX_KEY, json(birth)), 403, "NOT_OWNER");
        assertThat(get("/api/v1/citizens/" + birth.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY).statusCode()).isEqualTo(404);
    }

    /** A body over 64 KiB, declared and chunked. Result: 413 PAYLOAD_TOO_LARGE. */
    @Test
    void oversizedBodiesAreRefused() {
        String big = "{\"eventId\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertProblem(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, big), 413, "PAYLOAD_TOO_LARGE");

        var chunked = request("/api/v1/events", CIVIL_REGISTRY_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes())));
        assertProblem(send(chunked), 413, "PAYLOAD_TOO_LARGE");
    }

    /** A birth sent as text/plain or XML. Result: 415 UNSUPPORTED_MEDIA_TYPE. */
    @Test
    void onlyJsonIsAccepted() {
        var plain = request("/api/v1/events", CIVIL_REGISTRY_KEY).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(json(fixtures.birth())));
        assertProblem(send(plain), 415, "UNSUPPORTED_MEDIA_TYPE");
        var xml = request("/api/v1/events", CIVIL_REGISTRY_KEY).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<birth/>"));
        assertProblem(send(xml), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    /** Lookup answers: invalid NIK 400, unknown 404, a purpose the agency does not have 403. */
    @Test
    void citizenLookupAnswers() {
        assertProblem(get("/api/v1/citizens/12345?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY), 400, "NIK_INVALID_LENGTH");
        assertProblem(get("/api/v1/citizens/" + fixtures.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY), 404,
                "CITIZEN_NOT_FOUND");
        BirthRegistered birth = fixtures.birth();
        postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth));
        assertProblem(get("/api/v1/citizens/" + birth.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION", TAX_KEY), 403, "POLICY_DENIED");
    }

    private String withCitizenField(Citizen citizen, String field, String value) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(json(fixtures.birth(citizen)));
        ((ObjectNode) tree.get("citizen")).put(field, value);
        return tree.toString();
    }

    private void assertRejected(String body, String code, String pointer) {
        HttpResponse<String> response = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, body);
        assertFieldProblem(response, code.startsWith("CITIZEN_") || code.equals("EVENT_BEFORE_BIRTH") ? 409 : 400,
                code, pointer);
    }

    /**
     * The civil registry posts a birth while the database is busy: another transaction holds every lane of the audit
     * chain (their head rows) longer than the lock timeout. Result: 503 {@code SERVICE_UNAVAILABLE} with {@code Retry-After}, nothing
     * recorded (the citizen is unknown); the same request once the database is free is accepted.
     */
    @Test
    void busyDatabaseAnswers503AndTheSameRequestLaterIsAccepted(@Autowired PlatformTransactionManager transactions,
                                                                 @Autowired JdbcTemplate jdbc) throws Exception {
        BirthRegistered birth = fixtures.birth();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        Thread holder = new Thread(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
            jdbc.queryForList("SELECT seq FROM audit_head FOR UPDATE", Long.class);
            locked.countDown();
            try {
                answered.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "audit-head-holder");
        holder.start();
        HttpResponse<String> busy;
        try {
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            busy = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth));
        } finally {
            answered.countDown();
            holder.join();
        }

        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
        assertThat(read(busy).path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(get("/api/v1/citizens/" + birth.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION",
                CIVIL_REGISTRY_KEY).statusCode()).isEqualTo(404);
        HttpResponse<String> again = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    }
}
