package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.JembatanApplication;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit chain: what is appended when an event is accepted and delivered, who may verify the chain, and that
 * verification finds a changed entry, a removed one and a removed last one. The destructive cases (tampering, a held chain
 * lock) run on a second bus instance with its own data folder and broker (in-VM id 8), so that the shared test
 * bus keeps a valid chain.
 */
class AuditIT extends BusTestSupport {

    private static final Logger log = LoggerFactory.getLogger(AuditIT.class);
    private static final List<String> BIRTH_FIELDS = List.of("nik", "familyCardNumber", "fullName", "birthPlace",
            "birthDate", "sex", "religion", "maritalStatus", "occupation", "nationality", "motherNik", "fatherNik",
            "address");
    private static ConfigurableApplicationContext isolated;
    private static Path isolatedDataDir;

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    JdbcClient jdbc;

    @AfterAll
    static void stopIsolatedBus() {
        if (isolated != null) {
            isolated.close();
            isolated = null;
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
     * The civil registry sends a death over its inbound JMS queue for a citizen registered over HTTP. Result: the
     * {@code EVENT_ACCEPTED} entry of the death names channel JMS and the death's fields.
     */
    @Test
    void anEventOverJmsIsAuditedWithChannelJms() throws Exception {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        var death = fixtures.death(nik, LocalDate.now().minusDays(1));

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
     * On a bus of its own, three births build a chain of fifteen entries (accepted plus four deliveries each).
     * Then, each time restored before the next: one entry's purpose is changed, another's fields are changed, an
     * entry in the middle is deleted, the last entry is deleted. Result: verify answers 200
     * {@code {"valid":false}} with {@code firstBrokenAt} exactly the changed or deleted entry and a reason; after
     * each restore it is valid again with the same head.
     */
    @Test
    void verifyFindsTheFirstChangedOrRemovedEntry() {
        ConfigurableApplicationContext bus = isolatedBus();
        JdbcClient db = bus.getBean(JdbcClient.class);
        long first = chainSize(db) + 1;
        for (int i = 0; i < 3; i++) {
            BirthRegistered birth = fixtures.birth();
            assertThat(post(bus, json(birth))).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> entries(db, birth.eventId().toString()).size() == 5);
        }
        long last = chainSize(db);
        assertThat(last - first + 1).isEqualTo(15);
        JsonNode intact = verify(bus);
        assertThat(intact.path("valid").asBoolean()).as(intact.toString()).isTrue();
        assertThat(intact.path("entries").asLong()).isEqualTo(last);

        long changed = first + 4;
        String purpose = db.sql("SELECT purpose FROM audit_entry WHERE seq = ?").param(changed)
                .query(String.class).single();
        db.sql("UPDATE audit_entry SET purpose = 'CURIOSITY' WHERE seq = ?").param(changed).update();
        assertBrokenAt(bus, changed);
        db.sql("UPDATE audit_entry SET purpose = ? WHERE seq = ?").params(purpose, changed).update();
        assertThat(verify(bus)).isEqualTo(intact);

        long narrowed = first + 6;
        String fields = db.sql("SELECT fields FROM audit_entry WHERE seq = ?").param(narrowed)
                .query(String.class).single();
        db.sql("UPDATE audit_entry SET fields = 'nik' WHERE seq = ?").param(narrowed).update();
        assertBrokenAt(bus, narrowed);
        db.sql("UPDATE audit_entry SET fields = ? WHERE seq = ?").params(fields, narrowed).update();
        assertThat(verify(bus)).isEqualTo(intact);

        for (long removed : new long[]{first + 5, last}) {
            Map<String, Object> row = db.sql("SELECT * FROM audit_entry WHERE seq = ?").param(removed)
                    .query().singleRow();
            assertThat(db.sql("DELETE FROM audit_entry WHERE seq = ?").param(removed).update()).isEqualTo(1);
            assertBrokenAt(bus, removed);
            db.sql("INSERT INTO audit_entry (" + String.join(", ", row.keySet()) + ") VALUES ("
                    + String.join(", ", row.keySet().stream().map(k -> "?").toList()) + ")")
                    .params(new ArrayList<>(row.values())).update();
            assertThat(verify(bus)).isEqualTo(intact);
        }
    }

    /**
     * On a bus of its own, a test transaction holds the audit chain's head row locked while the civil registry
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
            db.sql("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE").query(Long.class).single();
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

    /**
     * Cost of the chain on a bus of its own (the embedded PostgreSQL): 1000 appends one after another, then 1000 from 4
     * threads at once, each append its own transaction as a delivery's is; then a verification of the whole
     * chain. Result: the chain stays one valid chain of all the entries; the per-append and verification times are
     * logged (they are figures for operators, not assertions).
     */
    @Test
    void appendAndVerifyCost() throws Exception {
        ConfigurableApplicationContext bus = isolatedBus();
        AuditTrail audit = bus.getBean(AuditTrail.class);
        JdbcClient db = bus.getBean(JdbcClient.class);
        String nik = fixtures.citizen().nik();
        AuditRecord lookup = new AuditRecord("tax", nik, AuditAction.LOOKUP, "TAXPAYER_REGISTRATION",
                List.of("fullName", "birthDate", "address"), "HTTP", "OK", null);
        long before = chainSize(db);

        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            audit.append(lookup);
        }
        double sequentialMs = (System.nanoTime() - start) / 1e6;

        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        start = System.nanoTime();
        for (int t = 0; t < 4; t++) {
            work.add(threads.submit(() -> {
                for (int i = 0; i < 250; i++) {
                    audit.append(lookup);
                }
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        double concurrentMs = (System.nanoTime() - start) / 1e6;
        threads.shutdown();

        start = System.nanoTime();
        JsonNode verified = verify(bus);
        double verifyMs = (System.nanoTime() - start) / 1e6;

        assertThat(verified.path("valid").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("entries").asLong()).isEqualTo(before + 2000);
        log.info("Audit append cost (embedded PostgreSQL): {} ms per append one after another, {} ms per append "
                        + "from 4 threads ({} appends/s); verify of {} entries over HTTP: {} ms",
                String.format("%.3f", sequentialMs / 1000), String.format("%.3f", concurrentMs / 1000),
                Math.round(1000 / (concurrentMs / 1000)), before + 2000, Math.round(verifyMs));
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

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(read(response).path("code").asText()).isEqualTo(code);
    }

    private static void assertBrokenAt(ConfigurableApplicationContext bus, long seq) {
        JsonNode broken = verify(bus);
        assertThat(broken.path("valid").asBoolean()).as(broken.toString()).isFalse();
        assertThat(broken.path("firstBrokenAt").asLong()).as(broken.toString()).isEqualTo(seq);
        assertThat(broken.path("reason").asText()).startsWith("entry " + seq + ": ");
        assertThat(broken.has("entries")).isFalse();
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

    /** The second bus, started on first use and shared by the destructive tests of this class. */
    private static synchronized ConfigurableApplicationContext isolatedBus() {
        if (isolated == null) {
            try {
                isolatedDataDir = Files.createTempDirectory("jembatan-audit-it-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            isolated = new SpringApplicationBuilder(JembatanApplication.class).run(
                    "--server.port=0",
                    "--jembatan.http.operator.port=0",
                    "--jembatan.data-dir=" + isolatedDataDir,
                    "--jembatan.broker.name=audit-it",
                    "--jembatan.broker.in-vm-id=8",
                    "--jembatan.broker.port=0",
                    "--jembatan.sandbox.tax-port=" + freePort(),
                    "--jembatan.sandbox.health-port=" + freePort(),
                    "--jembatan.sandbox.webhook-port=" + freePort(),
                    "--jembatan.sandbox.civil-registry-port=" + freePort(),
                    "--jembatan.agencies.licensing.delivery.batch-interval=200ms",
                    "--camel.main.name=audit-it",
                    "--jembatan.jmx.enabled=false",
                    "--spring.jmx.unique-names=true");
        }
        return isolated;
    }
}
