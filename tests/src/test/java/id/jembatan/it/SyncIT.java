package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.bench.CitizenSeeder;
import id.jembatan.connector.health.R4Validator;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.sync.SyncDelivery;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.management.ObjectName;
import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sync jobs (issue 19): a new agency, {@code newcomer} (a {@code json-http} webhook subscribing to every life event),
 * is sent the whole population through its own delivery path while the civil registry goes on sending births, moves
 * and deaths; a throttled job can be paused with the agency's delivery, resumed and cancelled.
 */
class SyncIT extends BusTestSupport {

    private static final String AGENCY = "newcomer";
    private static final String SYNCS = "/api/v1/operations/agencies/" + AGENCY + "/syncs";
    private static final int SEEDED = 10_000;
    private static final int LIVE_EVENTS = 300;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TaxSandbox tax;

    @Autowired
    HealthSandbox health;

    @Autowired
    LicensingSandbox licensing;

    @DynamicPropertySource
    static void newcomer(DynamicPropertyRegistry registry) {
        registry.add("jembatan.agencies.newcomer.connector", () -> "json-http");
        registry.add("jembatan.agencies.newcomer.subscribes",
                () -> "BirthRegistered,DeathRegistered,AddressChanged,NameChanged");
        registry.add("jembatan.agencies.newcomer.url",
                () -> "http://127.0.0.1:${jembatan.sandbox.webhook-port}/newcomer/events");
        registry.add("jembatan.agencies.newcomer.signing-secret", () -> "newcomer-it-signing-secret-of-32-bytes");
        registry.add("jembatan.access-policy.agencies.newcomer.receive",
                () -> "fullName,birthDate,address,dateOfDeath");
        // A second new agency that asks for its initial load in its configuration.
        registry.add("jembatan.agencies.joiner.connector", () -> "json-http");
        registry.add("jembatan.agencies.joiner.subscribes", () -> "BirthRegistered");
        registry.add("jembatan.agencies.joiner.url",
                () -> "http://127.0.0.1:${jembatan.sandbox.webhook-port}/joiner/events");
        registry.add("jembatan.agencies.joiner.signing-secret", () -> "joiner-it-signing-secret-of-32-bytes!");
        registry.add("jembatan.agencies.joiner.sync-on-start", () -> "true");
        registry.add("jembatan.access-policy.agencies.joiner.receive", () -> "fullName");
    }

    /**
     * The joiner is configured with {@code sync-on-start: true}. Result: the bus started its initial load when it
     * started (one job, purpose INITIAL_LOAD, scope every citizen), and it completes; the MBean of the job is there.
     */
    @Test
    void anAgencyConfiguredWithSyncOnStartHadItsInitialLoadAtStart() throws Exception {
        String joiner = "/api/v1/operations/agencies/joiner/syncs";
        JsonNode jobs = read(get(joiner, OPERATOR_KEY));
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("purpose").asText()).isEqualTo("INITIAL_LOAD");
        String id = jobs.get(0).get("id").asText();
        await("the joiner's initial load completed").atMost(Duration.ofMinutes(3))
                .until(() -> read(get(joiner + "/" + id, OPERATOR_KEY)).get("state").asText().equals("COMPLETED"));
        ObjectName mbean = new ObjectName("id.jembatan:type=Sync,agency=joiner,name=" + id);
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(mbean, "State")).isEqualTo("COMPLETED");
    }

    /**
     * 10,000 citizens are in the index; the operator starts the newcomer's initial load while the registry sends 300
     * births, moves and deaths. Result: the job completes with every citizen delivered; at the end the agency holds
     * the index's current version of every citizen (snapshot or live event received last), for no citizen did it
     * receive an older version after a newer one, a snapshot carries the record's fields the agency may receive and
     * no other, and the citizen's access log shows "newcomer received your data: initial load" (channel SYNC, purpose
     * INITIAL_LOAD, or RESYNC when the other test of this class synced the newcomer first).
     */
    @Test
    void aNewAgencyGetsEveryCitizenWithNoGapAndNoOlderStateAfterANewerOne() throws Exception {
        List<CitizenSeeder.Seeded> seeded = CitizenSeeder.seed(dataSource, citizens, SEEDED);
        // What the registry's events make of each citizen's record version, by event id (a seeded record is at 1).
        Map<UUID, Long> versionOf = new ConcurrentHashMap<>();
        CompletableFuture<Void> registry = CompletableFuture.runAsync(() -> liveEvents(seeded, versionOf));

        // The agency's first sync is its initial load; the other test of this class may have run one before.
        String purpose = read(get(SYNCS, OPERATOR_KEY)).isEmpty() ? "INITIAL_LOAD" : "RESYNC";
        JsonNode job = startSync("{\"scope\": {\"all\": true}}");
        UUID id = UUID.fromString(job.get("id").asText());
        assertThat(job.get("state").asText()).isEqualTo("RUNNING");
        assertThat(job.get("purpose").asText()).isEqualTo(purpose);

        registry.get();
        JsonNode done = awaitSync(id, "COMPLETED", Duration.ofMinutes(3));
        assertThat(done.get("failed").asLong()).isZero();
        assertThat(done.get("delivered").asLong()).isEqualTo(done.get("sent").asLong())
                .isGreaterThanOrEqualTo(SEEDED);

        Map<String, Long> current = new HashMap<>();
        jdbc.sql("SELECT nik, version FROM citizen").query(rs -> {
            current.put(rs.getString(1), rs.getLong(2));
        });
        await("the newcomer holds the current version of every citizen").atMost(Duration.ofMinutes(1))
                .until(() -> mismatches(received(id, versionOf, current), current).isEmpty());

        Map<String, List<Long>> received = received(id, versionOf, current);
        received.forEach((nik, versions) -> {
            for (int i = 1; i < versions.size(); i++) {
                assertThat(versions.get(i)).as("versions the newcomer received of %s: %s", nik, versions)
                        .isGreaterThanOrEqualTo(versions.get(i - 1));
            }
        });

        String nik = seeded.get(0).nik();
        JsonNode snapshot = webhooksReceived(AGENCY).stream()
                .filter(w -> w.eventType().equals("CitizenSnapshot") && w.bodyText().contains(nik))
                .map(w -> read(w.bodyText())).reduce((first, last) -> last).orElseThrow();
        assertThat(snapshot.path("citizen").path("nik").asText()).isEqualTo(nik);
        assertThat(snapshot.path("citizen").has("fullName")).isTrue();
        assertThat(snapshot.path("citizen").has("familyCardNumber")).isFalse();
        assertThat(snapshot.path("citizen").has("religion")).isFalse();

        JsonNode log = read(get("/api/v1/citizens/" + nik + "/access-log", CITIZEN_PORTAL_KEY));
        assertThat(log.path("items").findValues("channel").stream().map(JsonNode::asText)).contains("SYNC");
        JsonNode entry = null;
        for (JsonNode e : log.path("items")) {
            if (e.path("channel").asText().equals("SYNC")) {
                entry = e;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.path("agency").asText()).isEqualTo(AGENCY);
        assertThat(entry.path("purpose").asText()).isEqualTo(purpose);
    }

    /**
     * A sync of 400 named citizens at 40 a second; the operator pauses the newcomer's delivery, then resumes it; a
     * second job is cancelled. Result: while the agency is paused the job shows PAUSED and nothing is delivered to
     * it, after the resume the job completes with all 400 delivered; the cancelled job ends CANCELLED and sends
     * nothing more, having sent fewer than its citizens; an unknown job is 404 RESOURCE_NOT_FOUND, a scope of two
     * kinds 400 SCHEMA_VIOLATION.
     */
    @Test
    void aThrottledSyncPausesWithTheAgencyAndCanBeCancelled() throws Exception {
        List<CitizenSeeder.Seeded> seeded = CitizenSeeder.seed(dataSource, citizens, 400);
        String niks = String.join("\", \"", seeded.stream().map(CitizenSeeder.Seeded::nik).toList());

        post("/api/v1/operations/agencies/" + AGENCY + "/pause", "");
        JsonNode job = startSync("{\"scope\": {\"niks\": [\"" + niks + "\"]}, \"ratePerSecond\": 40}");
        UUID id = UUID.fromString(job.get("id").asText());
        assertThat(job.get("total").asLong()).isEqualTo(400);
        assertThat(job.get("sent").asLong()).isZero();
        assertThat(job.get("ratePerSecond").asInt()).isEqualTo(40);
        JsonNode paused = awaitSync(id, "PAUSED", Duration.ofSeconds(20));
        assertThat(paused.get("delivered").asLong()).isZero();

        post("/api/v1/operations/agencies/" + AGENCY + "/resume", "");
        JsonNode done = awaitSync(id, "COMPLETED", Duration.ofMinutes(1));
        assertThat(done.get("delivered").asLong()).isEqualTo(400);

        JsonNode slow = startSync("{\"scope\": {\"all\": true}, \"ratePerSecond\": 10}");
        UUID slowId = UUID.fromString(slow.get("id").asText());
        await().atMost(Duration.ofSeconds(20)).until(() -> sync(slowId).get("sent").asLong() > 0);
        HttpResponse<String> cancelled = send(request(SYNCS + "/" + slowId, OPERATOR_KEY).DELETE());
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(read(cancelled).get("state").asText()).isEqualTo("CANCELLED");
        long sent = read(cancelled).get("sent").asLong();
        assertThat(sent).isLessThan(read(cancelled).get("total").asLong());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> sync(slowId).get("sent").asLong() == sent);

        assertThat(read(get(SYNCS, OPERATOR_KEY)).findValuesAsText("id"))
                .contains(id.toString(), slowId.toString());
        assertProblem(get(SYNCS + "/" + UUID.randomUUID(), OPERATOR_KEY), 404, "RESOURCE_NOT_FOUND");
        assertProblem(postJson(SYNCS, OPERATOR_KEY, "{\"scope\": {\"all\": true, \"regionPrefix\": \"31\"}}"),
                400, "SCHEMA_VIOLATION");
    }

    /**
     * Two citizens already in the index are synced to the tax office, the health agency and the licensing office.
     * Result: each agency has them in its own form: the tax office a taxpayer with the name, the FHIR server a
     * Patient with the NIK and name that passes HAPI FHIR's R4 validator, the licensing office a holder with the
     * name and address (a CSV UPDATE row).
     */
    @Test
    void eachAgencyGetsTheSnapshotInItsOwnForm() throws Exception {
        List<CitizenSeeder.Seeded> seeded = CitizenSeeder.seed(dataSource, citizens, 2);
        String niks = String.join("\", \"", seeded.stream().map(CitizenSeeder.Seeded::nik).toList());
        List<UUID> jobs = new ArrayList<>();
        for (String agency : List.of("tax", "health", "licensing")) {
            HttpResponse<String> started = postJson("/api/v1/operations/agencies/" + agency + "/syncs",
                    OPERATOR_KEY, "{\"scope\": {\"niks\": [\"" + niks + "\"]}}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            jobs.add(UUID.fromString(read(started).get("id").asText()));
        }
        for (CitizenSeeder.Seeded citizen : seeded) {
            await().atMost(Duration.ofSeconds(30)).until(() -> tax.taxpayer(citizen.nik()).isPresent()
                    && health.patientByNik(citizen.nik()).isPresent()
                    && licensing.holder(citizen.nik()).isPresent());
            assertThat(tax.taxpayer(citizen.nik()).orElseThrow().fullName()).isEqualTo(citizen.fullName());
            Patient patient = health.patientByNik(citizen.nik()).orElseThrow();
            assertThat(patient.getNameFirstRep().getText()).isEqualTo(citizen.fullName());
            assertThat(R4Validator.errors(patient)).extracting(R4Validator::describe).isEmpty();
            assertThat(licensing.holder(citizen.nik()).orElseThrow().fullName()).isEqualTo(citizen.fullName());
        }
        String[] agencies = {"tax", "health", "licensing"};
        for (int i = 0; i < agencies.length; i++) {
            UUID id = jobs.get(i);
            String path = "/api/v1/operations/agencies/" + agencies[i] + "/syncs/" + id;
            JsonNode done = await().atMost(Duration.ofSeconds(30))
                    .until(() -> read(get(path, OPERATOR_KEY)), job -> job.get("state").asText().equals("COMPLETED"));
            assertThat(done.get("delivered").asLong()).as(agencies[i]).isEqualTo(2);
        }
    }

    /** Births, moves and deaths, one at a time as the registry sends them; records the version each gives. */
    private void liveEvents(List<CitizenSeeder.Seeded> seeded, Map<UUID, Long> versionOf) {
        Random random = new Random(19);
        Map<String, Long> version = new HashMap<>();
        Map<String, Address> addresses = new HashMap<>();
        List<String> living = new ArrayList<>(seeded.stream().map(CitizenSeeder.Seeded::nik).toList());
        for (int i = 0; i < LIVE_EVENTS; i++) {
            CitizenEvent event;
            int kind = random.nextInt(10);
            if (kind < 2) {
                BirthRegistered birth = citizens.birth();
                living.add(birth.citizen().nik());
                addresses.put(birth.citizen().nik(), birth.citizen().address());
                event = birth;
            } else {
                // Mostly the first citizens, so that several events of one citizen meet its snapshot.
                String nik = living.get(random.nextInt(Math.min(living.size(), 200)));
                if (kind < 9) {
                    Address moved = citizens.otherAddress(addresses.getOrDefault(nik, citizens.address()));
                    addresses.put(nik, moved);
                    event = citizens.addressChange(nik, moved);
                } else {
                    living.remove(nik);
                    event = citizens.death(nik, CitizenFixtures.today());
                }
            }
            publish(event);
            versionOf.put(event.eventId(), version.merge(event.subjectNik(),
                    event instanceof BirthRegistered ? 1L : 2L, (had, one) -> had + 1));
        }
    }

    /**
     * The record versions the newcomer received per citizen, in order: a live event's from {@code versionOf}, a
     * snapshot's by its event id (the job, the citizen and the version it shows).
     */
    private Map<String, List<Long>> received(UUID syncId, Map<UUID, Long> versionOf, Map<String, Long> current) {
        Map<String, List<Long>> received = new HashMap<>();
        for (ReceivedWebhook w : webhooksReceived(AGENCY)) {
            JsonNode body = read(w.bodyText());
            String nik = body.has("citizen") ? body.path("citizen").path("nik").asText() : body.path("nik").asText();
            UUID eventId = UUID.fromString(w.eventId());
            Long version = versionOf.get(eventId);
            if (w.eventType().equals("CitizenSnapshot")) {
                for (long v = 1; v <= current.getOrDefault(nik, 0L) && version == null; v++) {
                    if (SyncDelivery.eventId(syncId, nik, v).equals(eventId)) {
                        version = v;
                    }
                }
            }
            if (version != null) {
                received.computeIfAbsent(nik, n -> new ArrayList<>()).add(version);
            }
        }
        return received;
    }

    private static List<String> mismatches(Map<String, List<Long>> received, Map<String, Long> current) {
        List<String> wrong = new ArrayList<>();
        current.forEach((nik, version) -> {
            List<Long> got = received.get(nik);
            if (got == null || !got.get(got.size() - 1).equals(version)) {
                wrong.add(nik);
            }
        });
        return wrong;
    }

    private JsonNode startSync(String body) {
        HttpResponse<String> started = postJson(SYNCS, OPERATOR_KEY, body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode job = read(started);
        assertThat(started.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith(SYNCS + "/" + job.get("id").asText()));
        return job;
    }

    private JsonNode sync(UUID id) {
        HttpResponse<String> response = get(SYNCS + "/" + id, OPERATOR_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response);
    }

    private JsonNode awaitSync(UUID id, String state, Duration within) {
        return await("sync " + id + " " + state).atMost(within)
                .until(() -> sync(id), job -> job.get("state").asText().equals(state));
    }

    private void post(String path, String body) {
        HttpResponse<String> response = send(request(path, OPERATOR_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
