package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.audit.AuditChain;
import id.jembatan.operations.DeliverySwitch;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.testkit.OutsideAgencies;
import id.jembatan.testkit.TestBus;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit chain: what is appended when an event is accepted and delivered, who may verify the chain, and that
 * verification finds any change to an entry's columns, a removed entry, a removed last one, the first one changed, a
 * forged entry inserted, and a head that does not match. The destructive cases (tampering, a held chain
 * lock) run on a second bus instance with its own data folder and broker (in-VM id 8), so that the shared test
 * bus keeps a valid chain.
 */
class AuditIT extends BusTestSupport {

    private static final List<String> BIRTH_FIELDS = List.of("nik", "familyCardNumber", "fullName", "birthPlace",
            "birthDate", "sex", "religion", "maritalStatus", "occupation", "nationality", "motherNik", "fatherNik",
            "address");
    private static ConfigurableApplicationContext isolated;
    private static Path isolatedDataDir;
    /** The tax office, health and bansos of the second bus, in this JVM on ports of their own choosing. */
    private static OutsideAgencies agencies;

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    @AfterAll
    static void stopIsolatedBus() {
        if (isolated != null) {
            isolated.close();
            isolated = null;
        }
        if (agencies != null) {
            agencies.close();
            agencies = null;
        }
    }

    /**
     * The civil registry posts a birth over HTTP. Result: the chain holds an {@code EVENT_ACCEPTED} entry
     * (civil-registry, channel HTTP, outcome ACCEPTED, every field the birth carries) and one
     * {@code EVENT_DELIVERED} entry each for tax ({@code xml-http}), health ({@code fhir}), licensing
     * ({@code csv-drop}) and bansos ({@code json-http}), purpose {@code EVENT_DELIVERY}, each with exactly the
     * fields that agency receives; all about the citizen's NIK, all referencing the event id.
     */
    @Test
    void aBirthIsAuditedWhenAcceptedAndWhenDeliveredToEachAgency() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> entries(jdbc, birth.eventId().toString()).size() >= 5);
        List<Entry> entries = entries(jdbc, birth.eventId().toString());

        assertThat(entries).extracting(Entry::nik).containsOnly(nik);
        assertThat(entries).containsExactlyInAnyOrder(
                new Entry("civil-registry", nik, "EVENT_ACCEPTED", "EVENT_INGEST", sorted(BIRTH_FIELDS), "HTTP",
                        "ACCEPTED"),
                new Entry("tax", nik, "EVENT_DELIVERED", "EVENT_DELIVERY", sorted(List.of("nik",
                        "familyCardNumber", "fullName", "birthPlace", "birthDate", "sex", "maritalStatus",
                        "occupation", "nationality", "motherNik", "fatherNik", "address")), "xml-http", "DELIVERED"),
                new Entry("health", nik, "EVENT_DELIVERED", "EVENT_DELIVERY", sorted(List.of("nik", "fullName",
                        "birthDate", "sex", "maritalStatus", "motherNik", "address")), "fhir", "DELIVERED"),
                new Entry("licensing", nik, "EVENT_DELIVERED", "EVENT_DELIVERY", sorted(List.of("nik",
                        "fullName", "birthDate", "address")), "csv-drop", "DELIVERED"),
                new Entry("bansos", nik, "EVENT_DELIVERED", "EVENT_DELIVERY", sorted(List.of("nik",
                        "familyCardNumber", "fullName", "birthDate", "sex", "address")), "json-http", "DELIVERED"));
        assertThat(entries.get(0).action()).as("accepted before any delivery").isEqualTo("EVENT_ACCEPTED");
    }

    /**
     * Four events of one citizen (a birth, an address change, a name change and another address change) wait
     * together in the health agency's queue (its delivery paused), then delivery resumes and they go to health as one
     * batch (one message group: one consumer takes them all). Result: one {@code EVENT_DELIVERED} entry per event
     * for health, as for deliveries one by one (the access log does not change), appended together: in one lane of the
     * chain, consecutive there, in the citizen's order, with nothing of another flow between them; the chain verifies.
     */
    @Test
    void theDeliveriesOfOneBatchAreAppendedTogether() throws Exception {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        var moved = fixtures.otherAddress(birth.citizen().address());
        List<CitizenEvent> events = List.of(birth, fixtures.addressChange(nik, moved),
                fixtures.nameChange(nik, "Siti Rahayu Lestari"),
                fixtures.addressChange(nik, fixtures.otherAddress(moved)));
        DeliverySwitch deliveries = context.getBean(DeliverySwitch.class);
        deliveries.pause("health");
        try {
            for (CitizenEvent event : events) {
                assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event)).statusCode()).isEqualTo(202);
            }
            await().atMost(DEFAULT_WAIT).until(() -> brokerQueue("citizen.events", "health", RoutingType.MULTICAST)
                    .getMessageCount() >= events.size());
        } finally {
            deliveries.resume("health");
        }

        List<String> ids = events.stream().map(e -> e.eventId().toString()).toList();
        await().atMost(DEFAULT_WAIT).until(() -> healthDeliveries(ids).size() == events.size());
        List<Long> seqs = healthDeliveries(ids).stream().map(row -> (Long) row[0]).toList();
        List<Integer> lanes = healthDeliveries(ids).stream().map(row -> (Integer) row[2]).distinct().toList();
        assertThat(lanes).as("one lane").hasSize(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE lane = ? AND seq BETWEEN ? AND ?")
                .params(lanes.get(0), seqs.get(0), seqs.get(seqs.size() - 1)).query(Long.class).single())
                .as("consecutive in their lane").isEqualTo(events.size());
        assertThat(healthDeliveries(ids)).extracting(row -> (String) row[1]).containsExactlyElementsOf(ids);
        assertThat(context.getBean(AuditChain.class).verify().valid()).isTrue();
    }

    private List<Object[]> healthDeliveries(List<String> eventIds) {
        return jdbc.sql("SELECT seq, reference, lane FROM audit_entry WHERE agency = 'health'"
                        + " AND action = 'EVENT_DELIVERED' AND reference IN (:ids) ORDER BY seq")
                .param("ids", eventIds)
                .query((rs, row) -> new Object[]{rs.getLong(1), rs.getString(2), rs.getInt(3)}).list();
    }

    /**
     * The civil registry sends a death over its inbound JMS queue for a citizen registered over HTTP. Result: the
     * {@code EVENT_ACCEPTED} entry of the death names channel JMS and the death's fields.
     */
    @Test
    void anEventOverJmsIsAuditedWithChannelJms() throws Exception {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        var death = fixtures.death(nik, CitizenFixtures.today().minusDays(1));

        Session session = session(false);
        MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
        producer.send(session.createTextMessage(json(death)));

        await().atMost(Duration.ofSeconds(20)).until(() -> !entries(jdbc, death.eventId().toString()).isEmpty());
        assertThat(entries(jdbc, death.eventId().toString()).get(0)).isEqualTo(new Entry("civil-registry", nik,
                "EVENT_ACCEPTED", "EVENT_INGEST", "dateOfDeath,nik,placeOfDeath", "JMS", "ACCEPTED"));
    }

    /**
     * {@code GET /api/v1/audit/verify} with the operator key, with agency keys, without a key and with a wrong key.
     * Result: the operator gets 200 {@code {"valid":true,"entries":N,"head":"<64 hex>"}} with N at least the
     * entries of a birth just posted; an agency gets 403 {@code OPERATOR_ONLY}, no key 401 and a wrong key 401
     * {@code AGENCY_UNAUTHENTICATED}, all problem+json.
     */
    @Test
    void onlyOperatorsVerifyTheChain() {
        BirthRegistered birth = fixtures.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);

        HttpResponse<String> verified = get("/api/v1/audit/verify", OPERATOR_KEY);
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(verified.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = read(verified);
        assertThat(body.path("valid").asBoolean()).as(body.toString()).isTrue();
        assertThat(body.path("entries").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(body.path("head").asText()).matches("[0-9a-f]{64}");
        assertThat(body.has("firstBrokenAt")).isFalse();

        for (String agencyKey : List.of(TAX_KEY, CIVIL_REGISTRY_KEY, AccessLogIT.CITIZEN_PORTAL_KEY)) {
            assertProblem(get("/api/v1/audit/verify", agencyKey), 403, "OPERATOR_ONLY");
        }
        assertProblem(get("/api/v1/audit/verify", null), 401, "AGENCY_UNAUTHENTICATED");
        assertProblem(get("/api/v1/audit/verify", "not-a-key"), 401, "AGENCY_UNAUTHENTICATED");
    }

    /**
     * The operator key is used on agency endpoints: posting an event, a citizen lookup and an access log. Result:
     * each is 403 {@code POLICY_DENIED} problem+json, and the event was not applied (the civil registry's lookup
     * of that NIK is 404).
     */
    @Test
    void anOperatorIsNotAnAgency() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();

        assertProblem(postJson("/api/v1/events", OPERATOR_KEY, json(birth)), 403, "POLICY_DENIED");
        assertProblem(get("/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION", OPERATOR_KEY), 403, "POLICY_DENIED");
        assertProblem(get("/api/v1/citizens/" + nik + "/access-log", OPERATOR_KEY), 403, "POLICY_DENIED");
        assertThat(get("/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY).statusCode()).isEqualTo(404);
    }

    /**
     * On a bus of its own (its appends in one lane), three births build a chain of fifteen entries (accepted plus
     * four deliveries each). Then, each time restored before the next: in an entry in the middle each column is
     * changed in turn (its time, agency, NIK, action, purpose, fields, channel, outcome, reference, the hash it links
     * to, its own hash); the chain's first entry is changed; an entry in the middle is deleted, and so is the last; a
     * forged entry with a hash of its own that fits its content is inserted in the middle (the entries after it
     * renumbered); the head row is set back one position, given another hash, and made to count one entry less.
     * Result: verify answers 200 {@code {"valid":false}} with {@code firstBrokenAt} exactly the changed or forged
     * position, for a deleted entry the one after it (which no longer links), for the deleted last entry and for the
     * head the position the head records, and a reason; after each restore it is valid again with the same head.
     */
    @Test
    void verifyFindsTheFirstChangedOrRemovedEntry() {
        ConfigurableApplicationContext bus = isolatedBus();
        JdbcClient db = bus.getBean(JdbcClient.class);
        long before = chainSize(db);
        for (int i = 0; i < 3; i++) {
            BirthRegistered birth = fixtures.birth();
            assertThat(post(bus, json(birth))).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> entries(db, birth.eventId().toString()).size() == 5);
        }
        List<Long> positions = db.sql("SELECT seq FROM audit_entry WHERE seq > ? ORDER BY seq").param(before)
                .query(Long.class).list();
        assertThat(positions).hasSize(15);
        long last = positions.get(14);
        assertThat(chainSize(db)).isEqualTo(last);
        JsonNode intact = verify(bus);
        assertThat(intact.path("valid").asBoolean()).as(intact.toString()).isTrue();
        long total = db.sql("SELECT COUNT(*) FROM audit_entry").query(Long.class).single();
        assertThat(intact.path("entries").asLong()).isEqualTo(total);

        long middle = positions.get(4);
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("at", "at + INTERVAL '1 second'");
        changes.put("agency", "'intruder'");
        changes.put("nik", "NULL");
        changes.put("action", "'LOOKUP'");
        changes.put("purpose", "'CURIOSITY'");
        changes.put("fields", "'nik'");
        changes.put("channel", "'SMTP'");
        changes.put("outcome", "'DENIED'");
        changes.put("reference", "'forged'");
        changes.put("prev_hash", "'" + "0".repeat(64) + "'");
        changes.put("hash", "'" + "f".repeat(64) + "'");
        changes.forEach((column, value) -> tampered(bus, db, intact, middle, "a changed " + column,
                "UPDATE audit_entry SET " + column + " = " + value + " WHERE seq = " + middle));
        long first = db.sql("SELECT MIN(seq) FROM audit_entry").query(Long.class).single();
        tampered(bus, db, intact, first, "a changed first entry",
                "UPDATE audit_entry SET purpose = 'CURIOSITY' WHERE seq = " + first);

        tampered(bus, db, intact, positions.get(6), "a deleted entry",
                "DELETE FROM audit_entry WHERE seq = " + positions.get(5));
        tampered(bus, db, intact, last, "a deleted last entry", "DELETE FROM audit_entry WHERE seq = " + last);

        // A forged entry at position k whose hash fits its content and links to the entry before; entries k.. move
        // up one.
        long k = positions.get(6);
        long previous = positions.get(5);
        Map<String, Object> model = db.sql("SELECT * FROM audit_entry WHERE seq = ?").param(previous).query().singleRow();
        Instant at = ((OffsetDateTime) db.sql("SELECT at FROM audit_entry WHERE seq = ?").param(previous)
                .query(OffsetDateTime.class).single()).toInstant();
        String prev = (String) model.get("hash");
        String forgedHash = AuditChain.hash(k, at, "tax", (String) model.get("nik"), "LOOKUP", "TAXPAYER_REGISTRATION",
                "fullName", "HTTP", "OK", "forged", prev);
        tampered(bus, db, intact, k + 1, "an inserted entry",
                "UPDATE audit_entry SET seq = -seq WHERE seq >= " + k,
                "UPDATE audit_entry SET seq = -seq + 1 WHERE seq < 0",
                "INSERT INTO audit_entry (seq, at, agency, nik, action, purpose, fields, channel, outcome, reference,"
                        + " prev_hash, hash) SELECT " + k + ", at, 'tax', nik, 'LOOKUP', 'TAXPAYER_REGISTRATION',"
                        + " 'fullName', 'HTTP', 'OK', 'forged', '" + prev + "', '" + forgedHash + "'"
                        + " FROM audit_entry WHERE seq = " + previous);

        tampered(bus, db, intact, last - 1, "a head set back one position",
                "UPDATE audit_head SET seq = seq - 1 WHERE id = 1");
        tampered(bus, db, intact, last, "a head with another hash",
                "UPDATE audit_head SET hash = '" + "e".repeat(64) + "' WHERE id = 1");
        tampered(bus, db, intact, last, "a head counting one entry less",
                "UPDATE audit_head SET entries = entries - 1 WHERE id = 1");
    }

    /**
     * Tampers with the chain ({@code statements}, in one transaction, as someone with write access to the database
     * would), checks that verification finds it at {@code brokenAt}, then puts every entry and the head back as they
     * were and checks the chain is valid again.
     */
    private static void tampered(ConfigurableApplicationContext bus, JdbcClient db, JsonNode intact, long brokenAt,
                                 String what, String... statements) {
        List<Map<String, Object>> entries = db.sql("SELECT * FROM audit_entry ORDER BY seq").query().listOfRows();
        Map<String, Object> head = db.sql("SELECT seq, hash, entries FROM audit_head WHERE id = 1").query().singleRow();
        TransactionTemplate tx = bus.getBean(TransactionTemplate.class);
        tx.executeWithoutResult(s -> {
            for (String statement : statements) {
                db.sql(statement).update();
            }
        });
        try {
            assertBrokenAt(bus, brokenAt, what);
        } finally {
            tx.executeWithoutResult(s -> {
                db.sql("DELETE FROM audit_entry").update();
                for (Map<String, Object> row : entries) {
                    db.sql("INSERT INTO audit_entry (" + String.join(", ", row.keySet()) + ") VALUES ("
                                    + String.join(", ", row.keySet().stream().map(key -> "?").toList()) + ")")
                            .params(new ArrayList<>(row.values())).update();
                }
                db.sql("UPDATE audit_head SET seq = ?, hash = ?, entries = ? WHERE id = 1")
                        .params(head.get("seq"), head.get("hash"), head.get("entries")).update();
            });
        }
        assertThat(verify(bus)).as("restored after %s", what).isEqualTo(intact);
    }

    /**
     * On a bus of its own, a test transaction holds every lane of the audit chain (their head rows) locked while the civil registry
     * posts a birth, so the ingest cannot append its audit entry. Result: the post fails (5xx problem+json) and
     * nothing of the birth is kept: no master record (404), no journal entry, no audit entry. Once the lock is
     * released the same birth is accepted (202) and audited.
     */
    @Test
    void anEventIsAppliedOnlyWithItsAuditEntry() {
        ConfigurableApplicationContext bus = isolatedBus();
        JdbcClient db = bus.getBean(JdbcClient.class);
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        String eventId = birth.eventId().toString();

        AtomicReference<HttpResponse<String>> refused = new AtomicReference<>();
        bus.getBean(TransactionTemplate.class).executeWithoutResult(tx -> {
            db.sql("SELECT seq FROM audit_head FOR UPDATE").query(Long.class).list();
            refused.set(send(requestTo(bus, "/api/v1/events", CIVIL_REGISTRY_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json(birth)))));
        });

        assertThat(refused.get().statusCode()).as(refused.get().body()).isGreaterThanOrEqualTo(500);
        assertThat(refused.get().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send(requestTo(bus, "/api/v1/citizens/" + nik + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY).GET()).statusCode())
                .isEqualTo(404);
        assertThat(db.sql("SELECT COUNT(*) FROM citizen_event WHERE event_id = ?")
                .param(birth.eventId()).query(Long.class).single()).isZero();
        assertThat(entries(db, eventId)).isEmpty();

        assertThat(post(bus, json(birth))).isEqualTo(202);
        assertThat(entries(db, eventId)).extracting(Entry::action).contains("EVENT_ACCEPTED");
        // Let the deliveries finish too, so the next test on this bus starts from a quiet chain.
        await().atMost(Duration.ofSeconds(20)).until(() -> entries(db, eventId).size() == 5);
        assertThat(verify(bus).path("valid").asBoolean()).isTrue();
    }

    /** One audit entry as the tests compare it; {@code fields} as stored: sorted, comma-separated. */
    record Entry(String agency, String nik, String action, String purpose, String fields, String channel,
                 String outcome) {
    }

    static List<Entry> entries(JdbcClient db, String reference) {
        return db.sql("""
                        SELECT agency, nik, action, purpose, fields, channel, outcome FROM audit_entry
                        WHERE reference = ? ORDER BY seq""")
                .param(reference)
                .query((rs, row) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)))
                .list();
    }

    private static String sorted(List<String> fields) {
        return String.join(",", fields.stream().sorted().toList());
    }

    private static long chainSize(JdbcClient db) {
        return db.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
    }

    private static void assertBrokenAt(ConfigurableApplicationContext bus, long seq, String what) {
        JsonNode broken = verify(bus);
        assertThat(broken.path("valid").asBoolean()).as("%s: %s", what, broken).isFalse();
        assertThat(broken.path("firstBrokenAt").asLong()).as("%s: %s", what, broken).isEqualTo(seq);
        assertThat(broken.path("reason").asText()).as(what).startsWith("entry " + seq + ": ");
        assertThat(broken.has("entries")).as(what).isFalse();
    }

    private static JsonNode verify(ConfigurableApplicationContext bus) {
        HttpResponse<String> response = send(requestTo(bus, "/api/v1/audit/verify", OPERATOR_KEY).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response);
    }

    private static int post(ConfigurableApplicationContext bus, String body) {
        return send(requestTo(bus, "/api/v1/events", CIVIL_REGISTRY_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode();
    }

    private static HttpRequest.Builder requestTo(ConfigurableApplicationContext bus, String path, String apiKey) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + bus.getEnvironment().getProperty("local.server.port") + path))
                .header("X-API-Key", apiKey)
                .timeout(Duration.ofSeconds(30));
    }

    /**
     * The second bus, started on first use and shared by the destructive tests of this class; its appends use one
     * lane of the chain.
     */
    private static synchronized ConfigurableApplicationContext isolatedBus() {
        if (isolated == null) {
            try {
                isolatedDataDir = Files.createTempDirectory("jembatan-audit-it-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            agencies = OutsideAgencies.start();
            // One lane: the tampering cases name positions along one chain (the lanes are PostgresIndexIT's).
            isolated = TestBus.named("audit-it", 8).dataDir(isolatedDataDir).deliveringTo(agencies)
                    .with("jembatan.agencies.licensing.delivery.batch-interval", "200ms")
                    .with("jembatan.audit.lanes", "1").start();
        }
        return isolated;
    }
}
