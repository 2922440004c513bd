package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.bench.CitizenSeeder;
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
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.EventType;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.testkit.BusProcess;
import id.jembatan.testkit.OutsideAgencies;
import id.jembatan.testkit.TestBus;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash safety of the default installation: the bus as README's first command runs it ({@code java -jar}, embedded
 * Artemis and the embedded PostgreSQL store under its data folder, demo keys), with the tax office (XML over HTTP),
 * a FHIR server (health), the licensing drop folder and the social-welfare webhook as separate receivers in this JVM.
 * The civil registry sends the life events of 60 citizens, half over HTTP (4 writers) and half over the inbound JMS
 * queue (transactions of up to 10 messages, group id = NIK); each citizen's next event goes only once the previous one
 * was answered 202/200 or its transaction committed, and an unanswered one is sent again, as a registry retries.
 *
 * <p>The bus is killed with SIGKILL three times and started again on the same data folder each time:
 * <ol>
 *   <li>during ingest: half-way through the births and first moves, writers and sender in full flow;</li>
 *   <li>during delivery: the agencies were refusing (503) while the next events were accepted, then recover, and the
 *       bus is killed while their backlog is being delivered;</li>
 *   <li>during an outbox publish: the relay's lease was held (so accepted events waited in the outbox), then released,
 *       and the bus is killed once the relay has published part of them (rows still pending after the kill).</li>
 * </ol>
 * Result: every event answered 202 or committed on the inbound queue is in the journal exactly once (one
 * {@code EVENT_ACCEPTED} audit entry each) and the index holds each citizen's last name and address; every agency
 * received each event it subscribes to (repeats carry the same event id and are applied once), in each citizen's
 * order; the outbox is empty; the audit chain verifies.
 *
 * <p>Then a sync job to bansos is killed half-way ({@link #aSyncKilledHalfWayResumesFromItsCheckpointAndCompletes}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashIT {

    /** Citizens seeded for the sync killed half-way. */
    private static final int SYNC_CITIZENS = 3_000;
    private static final int HTTP_CITIZENS = 30;
    private static final int JMS_CITIZENS = 30;
    private static final int ROUNDS = 6;
    private static final int HTTP_WRITERS = 4;
    private static final int JMS_TRANSACTION = 10;
    private static final int OUTBOX_BATCH = 10;
    /** The demo jar, as README's first command runs it: the demo profile's keys (its sandboxes are off here). */
    private static final Path BUS_JAR = Path.of("..", "sandboxes", "target", "jembatan-demo.jar");
    private static final String REGISTRY_KEY = "demo-civil-registry-key";
    private static final String OPERATOR_KEY = "demo-operator-key";
    private static final Set<EventType> BANSOS_TYPES =
            Set.of(EventType.BIRTH_REGISTERED, EventType.DEATH_REGISTERED, EventType.ADDRESS_CHANGED);
    private static final List<String> SURNAMES = List.of("Siregar", "Nasution", "Lubis", "Harahap", "Sinaga");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static Path workDir;
    private static Path dataDir;
    private static OutsideAgencies agencies;
    private static TaxSandbox tax;
    private static HealthSandbox health;
    private static LicensingSandbox licensing;
    private static WebhookSandbox webhooks;
    private static int brokerPort;
    private static int storePort;
    private static TestBus busSettings;
    private static volatile BusProcess bus;
    private static int starts;

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @BeforeAll
    static void startAgencies() throws Exception {
        workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "crash-").toAbsolutePath();
        dataDir = workDir.resolve("data");
        agencies = OutsideAgencies.start();
        tax = agencies.tax();
        health = agencies.health();
        webhooks = agencies.webhooks();
        Path drops = workDir.resolve("drops").resolve("licensing");
        licensing = new LicensingSandbox(drops, Duration.ofMillis(100));
        licensing.start();
        // The broker's and the store's ports must be the same at every start, and known to this test beforehand
        // (its JMS sender and its psql-like reads reconnect to them after each kill): the one place where a port is
        // taken while free rather than bound and read back; BusProcess starts again if one was taken meanwhile.
        brokerPort = unusedPort();
        storePort = unusedPort();
        // The default profile (demo keys) with the store and broker embedded, as README's first command runs it;
        // only the agencies live outside, so that they outlive the bus.
        busSettings = TestBus.named("crash-it", 0).dataDir(dataDir).deliveringTo(agencies)
                .with("jembatan.broker.port", brokerPort)
                .with("jembatan.store.port", storePort)
                .with("jembatan.agencies.licensing.directory", drops)
                .with("jembatan.agencies.licensing.delivery.batch-interval", "200ms")
                .with("jembatan.outbox.batch-size", OUTBOX_BATCH);
        for (String agency : List.of("tax", "health", "licensing", "bansos")) {
            busSettings.with("jembatan.agencies." + agency + ".delivery.redelivery-delay", "100ms")
                    .with("jembatan.agencies." + agency + ".delivery.maximum-redelivery-delay", "500ms");
        }
        startBus();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (bus != null) {
            bus.close(); // in order: the embedded PostgreSQL stops with it
        }
        if (agencies != null) {
            agencies.close();
        }
        if (licensing != null) {
            licensing.stop();
        }
    }

    private static void startBus() throws IOException, InterruptedException {
        starts++;
        bus = busSettings.startProcess(BUS_JAR, workDir.resolve("console-" + starts + ".out"),
                "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", Map.of(), 180);
    }

    private static void killAndRestart() throws Exception {
        bus.kill();
        startBus();
    }

    @Test
    @Order(1)
    void nothingAcknowledgedIsLostWhenTheBusIsKilledDuringIngestDeliveryAndOutboxPublish() throws Exception {
        List<List<CitizenEvent>> httpHistories = histories(HTTP_CITIZENS);
        List<List<CitizenEvent>> jmsHistories = histories(JMS_CITIZENS);
        List<List<CitizenEvent>> all = new ArrayList<>(httpHistories);
        all.addAll(jmsHistories);
        Set<String> acknowledged = Collections.synchronizedSet(new LinkedHashSet<>());

        // 1. Killed during ingest: rounds 0-1 (births and first moves) in full flow.
        Feed first = feed(httpHistories, jmsHistories, 0, 2, acknowledged);
        int firstCount = 2 * all.size();
        await("a quarter of the first rounds acknowledged").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(5)).until(() -> acknowledged.size() >= firstCount / 4);
        killAndRestart();
        first.awaitDone();
        assertThat(acknowledged).hasSize(firstCount);
        awaitDelivered(all, 2, acknowledged);

        // 2. Killed during delivery: rounds 2-3 accepted while every agency refuses, then delivered from a backlog.
        setAgenciesFailing(true);
        feed(httpHistories, jmsHistories, 2, 4, acknowledged).awaitDone();
        Set<String> backlog = eventIds(all, 2, 4);
        int taxBefore = receivedAtTax(backlog).size();
        setAgenciesFailing(false);
        await("the tax office receiving the backlog").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(2)).until(() -> receivedAtTax(backlog).size() > taxBefore);
        int taxAtKill = receivedAtTax(backlog).size();
        killAndRestart();
        assertThat(taxAtKill).as("killed while the backlog was being delivered").isLessThan(backlog.size());
        awaitDelivered(all, 4, acknowledged);

        // 3. Killed during an outbox publish: rounds 4-5 wait in the outbox while this test holds the relay's lease.
        long pending;
        try (var lease = store().getConnection()) {
            lease.setAutoCommit(false);
            lease.createStatement().execute("SELECT id FROM outbox_relay_lease WHERE id = 1 FOR UPDATE");
            feed(httpHistories, jmsHistories, 4, ROUNDS, acknowledged).awaitDone();
            // An event sent over JMS is acknowledged when the broker took it, before the bus applied it: the outbox
            // fills up to every event of the rounds, and nothing leaves it while this test holds the lease.
            await("every event of rounds 4-5 waiting in the outbox").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(20)).until(() -> outbox() >= 2L * all.size());
            pending = outbox();
            lease.rollback();
        }
        assertThat(pending).as("events waiting in the outbox").isEqualTo(2L * all.size());
        await("the relay publishing part of the outbox").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(1)).until(() -> outbox() < pending);
        bus.kill();
        // The store outlives the bus that ran it: what the relay had not yet marked published is still there.
        long leftInOutbox = outbox();
        startBus();
        assertThat(leftInOutbox).as("killed with events still to publish").isPositive();

        awaitDelivered(all, ROUNDS, acknowledged);
        assertEverythingOnceInOrder(all, acknowledged);
        System.out.printf("CrashIT: 3 kills; at the delivery kill the tax office had %d of %d backlog events; at the "
                        + "outbox kill %d of %d events were unpublished; repeats the receivers ignored: tax %d, "
                        + "licensing %d%n", taxAtKill, backlog.size(), leftInOutbox, pending,
                tax.duplicatesIgnored(), licensing.duplicatesIgnored());
    }

    /**
     * Sync after crash: 3,000 citizens are in the index and the operator starts a sync to bansos at 300 citizens a
     * second; the bus is killed with SIGKILL once a third of them are on bansos' queue, and started again. Result: the
     * job resumes from its checkpoint and completes with every citizen delivered and none refused; bansos received a
     * snapshot of every one of them (a repeat after the kill carries the same event id).
     */
    @Test
    @Order(2)
    void aSyncKilledHalfWayResumesFromItsCheckpointAndCompletes() throws Exception {
        List<CitizenSeeder.Seeded> seeded = CitizenSeeder.seed(store(), fixtures, SYNC_CITIZENS);
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(
                        busUri("/api/v1/operations/agencies/bansos/syncs"))
                .header("X-API-Key", OPERATOR_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"scope\": {\"all\": true}, \"ratePerSecond\": 300}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = JSON.readTree(started.body()).get("id").asText();
        long total = JSON.readTree(started.body()).get("total").asLong();
        assertThat(total).isGreaterThanOrEqualTo(SYNC_CITIZENS);

        await("a third of the sync on bansos' queue").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(50)).until(() -> sync(id).get("sent").asLong() >= total / 3);
        JsonNode atKill = sync(id);
        killAndRestart();
        assertThat(atKill.get("delivered").asLong()).as("killed half-way: delivered at the kill").isLessThan(total);

        JsonNode done = await("the sync completed after the restart").atMost(Duration.ofMinutes(2))
                .until(() -> sync(id), job -> job.get("state").asText().equals("COMPLETED"));
        assertThat(done.get("failed").asLong()).isZero();
        assertThat(done.get("delivered").asLong()).isEqualTo(done.get("sent").asLong()).isEqualTo(total);
        Set<String> snapshotted = new LinkedHashSet<>();
        for (ReceivedWebhook w : webhooks.received("bansos")) {
            if (w.eventType().equals(EventType.CITIZEN_SNAPSHOT.wireName())) {
                snapshotted.add(JSON.readTree(w.body()).path("citizen").path("nik").asText());
            }
        }
        assertThat(snapshotted).containsAll(seeded.stream().map(CitizenSeeder.Seeded::nik).toList());
    }

    private static JsonNode sync(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        busUri("/api/v1/operations/agencies/bansos/syncs/" + id))
                .header("X-API-Key", OPERATOR_KEY).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void assertEverythingOnceInOrder(List<List<CitizenEvent>> histories, Set<String> acknowledged)
            throws Exception {
        Set<String> expected = eventIds(histories, 0, ROUNDS);
        assertThat(acknowledged).isEqualTo(expected);
        JdbcClient db = JdbcClient.create(store());
        assertThat(db.sql("SELECT COUNT(*) FROM citizen_event").query(Long.class).single())
                .isEqualTo(expected.size());
        assertThat(db.sql("SELECT event_id::text FROM citizen_event").query(String.class).set()).isEqualTo(expected);
        assertThat(db.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'EVENT_ACCEPTED'")
                .query(Long.class).single()).isEqualTo(expected.size());
        for (List<CitizenEvent> history : histories) {
            NameChanged lastName = last(history, NameChanged.class);
            AddressChanged lastMove = last(history, AddressChanged.class);
            assertThat(db.sql("SELECT full_name, village_code, street FROM citizen WHERE nik = ?")
                    .param(history.get(0).subjectNik())
                    .query((rs, row) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3))).single())
                    .containsExactly(lastName.fullName(), lastMove.address().villageCode(),
                            lastMove.address().street());
        }
        await("outbox empty").atMost(Duration.ofSeconds(30))
                .until(() -> outbox() == 0);

        Map<String, List<String>> sent = byCitizen(histories, e -> true);
        Map<String, List<String>> sentToBansos = byCitizen(histories, e -> BANSOS_TYPES.contains(e.eventType()));
        Map<String, String> nikOf = histories.stream().flatMap(List::stream)
                .collect(Collectors.toMap(e -> e.eventId().toString(), CitizenEvent::subjectNik));
        assertThat(firstArrivals(tax.received(), TaxXml::messageId, TaxXml::nik, expected)).isEqualTo(sent);
        assertThat(firstArrivals(licensing.received(), u -> u.eventId().toString(), LicenceUpdate::nik, expected))
                .isEqualTo(sent);
        assertThat(firstArrivals(webhooks.received("bansos"), ReceivedWebhook::eventId,
                w -> nikOf.get(w.eventId()), expected)).isEqualTo(sentToBansos);
        // The health connector tags a Patient with each event it applied, once, in the order applied.
        assertThat(health.patients().stream().collect(Collectors.toMap(CrashIT::nik, CrashIT::appliedEventIds)))
                .isEqualTo(sent);

        HttpResponse<String> verify = HTTP.send(HttpRequest.newBuilder(busUri("/api/v1/audit/verify"))
                        .header("X-API-Key", OPERATOR_KEY).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        JsonNode chain = JSON.readTree(verify.body());
        assertThat(chain.path("valid").asBoolean()).as(verify.body()).isTrue();
    }

    /** Each citizen: a birth, then name changes and moves in turn. */
    private List<List<CitizenEvent>> histories(int citizens) {
        List<List<CitizenEvent>> histories = new ArrayList<>();
        for (int c = 0; c < citizens; c++) {
            BirthRegistered birth = fixtures.birth();
            String nik = birth.citizen().nik();
            String firstName = birth.citizen().fullName().split(" ")[0];
            List<CitizenEvent> history = new ArrayList<>(List.of(birth));
            Address address = birth.citizen().address();
            for (int i = 1; i < ROUNDS; i++) {
                if (i % 2 == 1) {
                    history.add(fixtures.nameChange(nik, firstName + " " + SURNAMES.get(i % SURNAMES.size())));
                } else {
                    address = fixtures.otherAddress(address);
                    history.add(fixtures.addressChange(nik, address));
                }
            }
            histories.add(history);
        }
        return histories;
    }

    private static <T extends CitizenEvent> T last(List<CitizenEvent> history, Class<T> type) {
        return history.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> b).orElseThrow();
    }

    /** Rounds {@code from} (inclusive) to {@code to} (exclusive) of every citizen, sent by the HTTP writers and JMS. */
    private Feed feed(List<List<CitizenEvent>> http, List<List<CitizenEvent>> jms, int from, int to,
                      Set<String> acknowledged) {
        ExecutorService senders = Executors.newFixedThreadPool(HTTP_WRITERS + 1);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < HTTP_WRITERS; w++) {
            List<List<CitizenEvent>> mine = new ArrayList<>();
            for (int c = w; c < http.size(); c += HTTP_WRITERS) {
                mine.add(http.get(c));
            }
            work.add(senders.submit(() -> {
                for (int round = from; round < to; round++) {
                    for (List<CitizenEvent> history : mine) {
                        postUntilAnswered(history.get(round));
                        acknowledged.add(history.get(round).eventId().toString());
                    }
                }
                return null;
            }));
        }
        work.add(senders.submit(() -> {
            for (int round = from; round < to; round++) {
                for (int c = 0; c < jms.size(); c += JMS_TRANSACTION) {
                    List<CitizenEvent> transaction = new ArrayList<>();
                    for (List<CitizenEvent> history : jms.subList(c, Math.min(jms.size(), c + JMS_TRANSACTION))) {
                        transaction.add(history.get(round));
                    }
                    sendUntilCommitted(transaction);
                    transaction.forEach(e -> acknowledged.add(e.eventId().toString()));
                }
            }
            return null;
        }));
        senders.shutdown();
        return new Feed(work);
    }

    private record Feed(List<Future<?>> work) {
        void awaitDone() throws Exception {
            for (Future<?> f : work) {
                f.get();
            }
        }
    }

    /** Posts until answered 202 or 200 (a repeat), across a kill: a request the dead bus did not answer goes again. */
    private static void postUntilAnswered(CitizenEvent event) throws InterruptedException {
        String body = CitizenFixtures.json(event);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(busUri("/api/v1/events"))
                                .header("X-API-Key", REGISTRY_KEY).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(20))
                                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202 || response.statusCode() == 200) {
                    return;
                }
                if (response.statusCode() < 500) {
                    throw new AssertionError("event " + event.eventId() + " answered " + response.statusCode()
                            + ": " + response.body());
                }
            } catch (IOException e) {
                // the bus died under the request, or is not up again yet: the registry sends it again
            }
            Thread.sleep(50); // a registry's retry interval, not a wait for a condition
        }
        throw new AssertionError("event " + event.eventId() + " was not accepted within 3 minutes");
    }

    /** Sends the events in one transaction until its commit returns, reconnecting after a kill of the broker. */
    private static void sendUntilCommitted(List<CitizenEvent> events) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
                 Connection connection = factory.createConnection("civil-registry", REGISTRY_KEY)) {
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (CitizenEvent event : events) {
                    TextMessage message = session.createTextMessage(CitizenFixtures.json(event));
                    message.setStringProperty("JMSXGroupID", event.subjectNik());
                    producer.send(message);
                }
                session.commit();
                return;
            } catch (JMSException e) {
                // the broker died with the bus, or is not up again yet: the transaction goes again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("a transaction of " + events.size() + " events was not committed within 3 minutes");
    }

    private static void setAgenciesFailing(boolean failing) {
        agencies.failWith(failing ? 503 : 0);
    }

    /** A port nobody listens on now (see {@link #startAgencies} for why this test needs one). */
    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits until every agency has every event of the rounds before {@code rounds}. */
    private static void awaitDelivered(List<List<CitizenEvent>> histories, int rounds, Set<String> acknowledged) {
        Set<String> expected = eventIds(histories, 0, rounds);
        assertThat(acknowledged).containsAll(expected);
        Set<String> toBansos = histories.stream().flatMap(h -> h.subList(0, rounds).stream())
                .filter(e -> BANSOS_TYPES.contains(e.eventType())).map(e -> e.eventId().toString())
                .collect(Collectors.toSet());
        await("rounds 0-" + (rounds - 1) + " at the tax office, health, licensing and social welfare")
                .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> receivedAtTax(expected).size() == expected.size()
                        && distinct(licensing.received(), u -> u.eventId().toString(), expected).size()
                        == expected.size()
                        && distinct(webhooks.received("bansos"), ReceivedWebhook::eventId, toBansos).size()
                        == toBansos.size()
                        && health.patients().stream().flatMap(p -> appliedEventIds(p).stream())
                        .filter(expected::contains).count() == expected.size());
    }

    private static Set<String> receivedAtTax(Set<String> ids) {
        return distinct(tax.received(), TaxXml::messageId, ids);
    }

    private static <T> Set<String> distinct(List<T> items, Function<T, String> eventId, Set<String> ids) {
        return items.stream().map(eventId).filter(ids::contains).collect(Collectors.toSet());
    }

    /** Per citizen, the event ids in the order they first arrived (a repeat after a crash is the same id again). */
    private static <T> Map<String, List<String>> firstArrivals(List<T> items, Function<T, String> eventId,
                                                               Function<T, String> nik, Set<String> expected) {
        Map<String, List<String>> arrivals = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (T item : items) {
            String id = eventId.apply(item);
            if (expected.contains(id) && seen.add(id)) {
                arrivals.computeIfAbsent(nik.apply(item), k -> new ArrayList<>()).add(id);
            }
        }
        return arrivals;
    }

    private static Map<String, List<String>> byCitizen(List<List<CitizenEvent>> histories,
                                                       java.util.function.Predicate<CitizenEvent> subscribed) {
        return histories.stream().collect(Collectors.toMap(h -> h.get(0).subjectNik(),
                h -> h.stream().filter(subscribed).map(e -> e.eventId().toString()).toList()));
    }

    private static Set<String> eventIds(List<List<CitizenEvent>> histories, int from, int to) {
        return histories.stream().flatMap(h -> h.subList(from, to).stream()).map(e -> e.eventId().toString())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String nik(Patient patient) {
        return patient.getIdentifier().stream().filter(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()))
                .findFirst().orElseThrow().getValue();
    }

    private static List<String> appliedEventIds(Patient patient) {
        return patient.getMeta().getTag().stream()
                .filter(t -> HealthFhir.EVENT_ID_TAG_SYSTEM.equals(t.getSystem())).map(Coding::getCode).toList();
    }

    /** The bus's own store, as an operator reaches it with psql: loopback port, user jembatan, the kept secret. */
    private static PGSimpleDataSource store() throws IOException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + storePort + "/jembatan");
        ds.setUser("jembatan");
        ds.setPassword(Files.readString(dataDir.resolve("db").resolve("store.secret")).trim());
        return ds;
    }

    private static long outbox() throws IOException, SQLException {
        try (var c = store().getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT COUNT(*) FROM outbox")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static URI busUri(String path) {
        return URI.create("http://127.0.0.1:" + bus.httpPort() + path);
    }
}
