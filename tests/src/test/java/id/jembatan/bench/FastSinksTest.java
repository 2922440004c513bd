package id.jembatan.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import id.jembatan.connector.BatchResult;
import id.jembatan.connector.CitizenDirectory;
import id.jembatan.connector.health.HealthConnector;
import id.jembatan.connector.tax.TaxConnector;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's sinks answer the real connectors' batches as the agencies do: every event of a batch is applied
 * and answered as delivered, in batch requests only (nothing one by one, no fallback WARN), and each write or
 * document is recorded once for the benchmark's accounting of arrivals.
 */
class FastSinksTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private FastSinks sinks;
    private String base;

    @BeforeEach
    void start() throws IOException {
        sinks = FastSinks.start();
        base = sinks.busArgs().stream().filter(a -> a.startsWith("--jembatan.agencies.health.url="))
                .findFirst().orElseThrow().substring("--jembatan.agencies.health.url=".length()).replace("/fhir", "");
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void stop() {
        root.detachAppender(logged);
        sinks.close();
    }

    /**
     * Three births in a batch, then three more with the move and the renaming of two of the first (batch: true,
     * conditional create, as the demo's health agency). Result: nothing refused; each event written once, the births'
     * Bundle before the changes' (searches, reads, updates by id with If-Match); only batch Bundles sent, no WARN.
     */
    @Test
    void healthBatchesAreAnsweredEntryByEntry() {
        HealthConnector connector = new HealthConnector(base + "/fhir", TIMEOUT, true, true);
        List<BirthRegistered> first = List.of(fixtures.birth(), fixtures.birth(), fixtures.birth());
        assertThat(refusals(connector.deliverAll(List.copyOf(first)))).isEmpty();

        Citizen moving = first.get(0).citizen();
        Citizen renamed = first.get(2).citizen();
        List<BirthRegistered> second = List.of(fixtures.birth(), fixtures.birth(), fixtures.birth());
        List<CitizenEvent> batch = List.of(second.get(0),
                fixtures.addressChange(moving.nik(), fixtures.otherAddress(moving.address())), second.get(1),
                fixtures.nameChange(renamed.nik(), "Raden Ajeng " + renamed.fullName()), second.get(2));
        assertThat(refusals(connector.deliverAll(batch))).isEmpty();

        assertThat(sinks.patientsSince(0)).containsExactly(first.get(0).subjectNik(), first.get(1).subjectNik(),
                first.get(2).subjectNik(), second.get(0).subjectNik(), second.get(1).subjectNik(),
                second.get(2).subjectNik(), moving.nik(), renamed.nik());
        assertThat(sinks.singleRequests()).as("requests other than batch Bundles").isZero();
        assertNoWarning();

        // The repeat of the changes: read, found applied (tagged), nothing written.
        assertThat(refusals(connector.deliverAll(List.of(batch.get(1), batch.get(3))))).isEmpty();
        assertThat(sinks.patientWrites()).isEqualTo(8);
        assertNoWarning();
    }

    /**
     * Two births and a move in one TaxpayerBatch (batch: true, as the demo profile has it for tax), then the same
     * again. Result: nothing refused; every document's MessageId recorded once per sending, in order; the repeat
     * answered DUPLICATE and delivered too; only batches sent, no WARN.
     */
    @Test
    void taxBatchesAreAnsweredDocumentByDocument() {
        Directory directory = new Directory();
        BirthRegistered first = fixtures.birth(directory.register(fixtures.citizen()));
        BirthRegistered second = fixtures.birth(directory.register(fixtures.citizen()));
        Citizen moving = directory.register(fixtures.citizen());
        List<CitizenEvent> batch = List.of(first, fixtures.addressChange(moving.nik(),
                fixtures.otherAddress(moving.address())), second);
        TaxConnector connector = new TaxConnector(URI.create(base + "/taxpayers"), directory, TIMEOUT,
                HttpClient.newHttpClient(), true);

        assertThat(refusals(connector.deliverAll(batch))).isEmpty();
        List<String> documents = sinks.taxSince(0);
        assertThat(documents).hasSizeGreaterThanOrEqualTo(batch.size()).doesNotHaveDuplicates();

        assertThat(refusals(connector.deliverAll(batch))).isEmpty();
        assertThat(sinks.taxSince(documents.size())).containsExactlyElementsOf(documents);
        assertThat(sinks.singleRequests()).as("documents sent alone").isZero();
        assertNoWarning();
    }

    /**
     * A batch Bundle posted as any client would: a conditional create, the same again, an update by id with the
     * version held, one with a stale version, a read of an unknown id. Result: 201, 200 (the match), 200 with
     * version 2, 412, 404, in order; the Patient written twice.
     */
    @Test
    void aStaleVersionIsRefusedEntryByEntry() throws Exception {
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"nik\",\"value\":\"1\"}]}";
        String create = "{\"resource\":" + patient + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\","
                + "\"ifNoneExist\":\"identifier=nik%7C1\"}}";
        String put = "{\"resource\":" + patient + ",\"request\":{\"method\":\"PUT\",\"url\":\"Patient/1\","
                + "\"ifMatch\":\"W/\\\"1\\\"\"}}";
        String body = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + create + "," + create + ","
                + put + "," + put + ",{\"request\":{\"method\":\"GET\",\"url\":\"Patient/99\"}}]}";
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/fhir"))
                .header("Content-Type", "application/fhir+json").header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        com.fasterxml.jackson.databind.JsonNode response = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(answer.body());
        assertThat(response.path("type").asText()).isEqualTo("batch-response");
        assertThat(response.path("entry").findValuesAsText("status"))
                .containsExactly("201 Created", "200 OK", "200 OK", "412 Precondition Failed", "404 Not Found");
        assertThat(response.path("entry").get(2).path("response").path("etag").asText()).isEqualTo("W/\"2\"");
        assertThat(response.path("entry").findValues("resource")).isEmpty();
        assertThat(sinks.patientsSince(0)).containsExactly("1", "1");
    }

    private void assertNoWarning() {
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    private static List<Integer> refusals(BatchResult result) {
        return IntStream.range(0, result.size()).filter(i -> result.refusal(i) != null).boxed().toList();
    }

    /** The master index's read side for the tax connector: the citizens registered, no children. */
    private static final class Directory implements CitizenDirectory {
        private final Map<String, Citizen> citizens = new ConcurrentHashMap<>();

        Citizen register(Citizen citizen) {
            citizens.put(citizen.nik(), citizen);
            return citizen;
        }

        @Override
        public Optional<Citizen> citizen(String nik) {
            return Optional.ofNullable(citizens.get(nik));
        }

        @Override
        public int livingMinorChildren(String parentNik, LocalDate asOf) {
            return 0;
        }
    }
}
