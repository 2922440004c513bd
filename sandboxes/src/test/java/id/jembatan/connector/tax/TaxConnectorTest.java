package id.jembatan.connector.tax;

import com.sun.net.httpserver.HttpServer;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.sandbox.tax.TaxpayerRecord;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tax connector against a running tax sandbox, over real HTTP on the loopback interface. */
class TaxConnectorTest {

    private static final CitizenFixtures FIXTURES = new CitizenFixtures();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final InMemoryCitizenDirectory directory = new InMemoryCitizenDirectory();
    private TaxSandbox sandbox;
    private TaxConnector connector;

    @BeforeEach
    void startSandbox() {
        sandbox = new TaxSandbox(0);
        sandbox.start();
        connector = new TaxConnector(sandbox.endpoint(), directory, TIMEOUT, HTTP);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.stop();
    }

    /** A registration and then every kind of change: the tax office's record follows each of them. */
    @Test
    void birthThenChangesAreReflectedInTheTaxOfficesRecord() {
        Citizen citizen = FIXTURES.citizen();
        directory.register(citizen);
        String nik = citizen.nik();

        deliverAndRegister(FIXTURES.birth(citizen));
        TaxpayerRecord registered = sandbox.taxpayer(nik).orElseThrow();
        assertThat(registered.registered()).isTrue();
        assertThat(registered.fullName()).isEqualTo(citizen.fullName());
        assertThat(registered.familyCardNumber()).isEqualTo(citizen.familyCardNumber());
        assertThat(registered.birthPlace()).isEqualTo(citizen.birthPlace());
        assertThat(registered.birthDate()).isEqualTo(citizen.birthDate());
        assertThat(registered.sex()).isEqualTo(citizen.sex());
        assertThat(registered.maritalStatus()).isEqualTo(MaritalStatus.SINGLE);
        assertThat(registered.occupation()).isEqualTo(citizen.occupation());
        assertThat(registered.nationality()).isEqualTo(citizen.nationality());
        assertThat(registered.address()).isEqualTo(citizen.address());
        assertThat(registered.numberOfDependants()).isZero();

        Address newAddress = FIXTURES.otherAddress(citizen.address());
        connector.deliver(FIXTURES.addressChange(nik, newAddress));
        connector.deliver(FIXTURES.nameChange(nik, "Ayu Kusumawati"));
        String spouse = FIXTURES.citizen().nik();
        LocalDate wedding = CitizenFixtures.today().minusDays(7);
        connector.deliver(FIXTURES.marriage(nik, spouse, wedding));

        TaxpayerRecord married = sandbox.taxpayer(nik).orElseThrow();
        assertThat(married.address()).isEqualTo(newAddress);
        assertThat(married.fullName()).isEqualTo("Ayu Kusumawati");
        assertThat(married.maritalStatus()).isEqualTo(MaritalStatus.MARRIED);
        assertThat(married.spouseNik()).isEqualTo(spouse);
        assertThat(married.maritalStatusSince()).isEqualTo(wedding);

        LocalDate divorced = CitizenFixtures.today().minusDays(1);
        connector.deliver(FIXTURES.divorce(nik, spouse, divorced));
        DeathRegistered death = FIXTURES.death(nik, CitizenFixtures.today());
        connector.deliver(death);

        TaxpayerRecord last = sandbox.taxpayer(nik).orElseThrow();
        assertThat(last.maritalStatus()).isEqualTo(MaritalStatus.DIVORCED);
        assertThat(last.maritalStatusSince()).isEqualTo(divorced);
        assertThat(last.deceased()).isTrue();
        assertThat(last.dateOfDeath()).isEqualTo(death.dateOfDeath());
        assertThat(last.placeOfDeath()).isEqualTo(death.placeOfDeath());
        assertThat(sandbox.received()).hasSize(6 + 2); // the birth also told both (adult's) parents their count
    }

    /**
     * A newborn with an older sibling: each parent learns they now have two minor children, from one question to the
     * index for the newborn and both parents.
     */
    @Test
    void newbornTellsEachParentTheirNewNumberOfDependants() {
        Citizen newborn = FIXTURES.citizen(Sex.FEMALE, CitizenFixtures.today().minusDays(3));
        Citizen sibling = sibling(newborn, CitizenFixtures.today().minusYears(6));
        directory.register(sibling).register(newborn);

        BirthRegistered birth = FIXTURES.birth(newborn);
        connector.deliver(birth);

        assertThat(sandbox.received()).hasSize(3);
        assertThat(sandbox.taxpayer(newborn.nik()).orElseThrow().numberOfDependants()).isZero();
        TaxpayerRecord mother = sandbox.taxpayer(newborn.motherNik()).orElseThrow();
        assertThat(mother.numberOfDependants()).isEqualTo(2);
        assertThat(mother.registered()).isFalse();
        assertThat(sandbox.taxpayer(newborn.fatherNik()).orElseThrow().numberOfDependants()).isEqualTo(2);
        assertThat(sandbox.received()).filteredOn(TaxpayerChange.class::isInstance)
                .extracting(TaxXml::messageId)
                .containsExactly(TaxTranslator.dependantsMessageId(birth.eventId(), newborn.motherNik()),
                        TaxTranslator.dependantsMessageId(birth.eventId(), newborn.fatherNik()));
        assertThat(directory.childrenQuestions())
                .containsExactly(List.of(newborn.nik(), newborn.motherNik(), newborn.fatherNik()));
    }

    /** The access policy withheld the parents from the tax office's copy of the event: the index still knows. */
    @Test
    void parentsWithheldFromTheEventAreTakenFromTheMasterIndex() {
        Citizen newborn = FIXTURES.citizen(Sex.MALE, CitizenFixtures.today().minusDays(1));
        directory.register(newborn);
        Citizen withheld = new Citizen(newborn.nik(), newborn.familyCardNumber(), newborn.fullName(),
                newborn.birthPlace(), newborn.birthDate(), newborn.sex(), null, newborn.maritalStatus(), null,
                newborn.nationality(), null, null, newborn.address());

        connector.deliver(FIXTURES.birth(withheld));

        assertThat(sandbox.taxpayer(newborn.motherNik()).orElseThrow().numberOfDependants()).isEqualTo(1);
        assertThat(sandbox.taxpayer(newborn.fatherNik()).orElseThrow().numberOfDependants()).isEqualTo(1);
    }

    /** A child dies under 18: the parents' counts go down; an adult's death leaves the parents alone. */
    @Test
    void deathOfAMinorLowersTheParentsCountsButAnAdultsDoesNot() {
        Citizen child = FIXTURES.citizen(Sex.MALE, CitizenFixtures.today().minusYears(9));
        Citizen sibling = sibling(child, CitizenFixtures.today().minusYears(3));
        directory.register(child).register(sibling);
        connector.deliver(FIXTURES.birth(child));
        assertThat(sandbox.taxpayer(child.motherNik()).orElseThrow().numberOfDependants()).isEqualTo(2);

        directory.registerDeath(child.nik(), CitizenFixtures.today());
        connector.deliver(FIXTURES.death(child.nik(), CitizenFixtures.today()));

        assertThat(sandbox.taxpayer(child.nik()).orElseThrow().deceased()).isTrue();
        assertThat(sandbox.taxpayer(child.motherNik()).orElseThrow().numberOfDependants()).isEqualTo(1);
        assertThat(sandbox.taxpayer(child.fatherNik()).orElseThrow().numberOfDependants()).isEqualTo(1);

        Citizen adult = FIXTURES.citizen(Sex.FEMALE, CitizenFixtures.today().minusYears(40));
        directory.register(adult);
        int before = sandbox.received().size();
        directory.registerDeath(adult.nik(), CitizenFixtures.today());
        connector.deliver(FIXTURES.death(adult.nik(), CitizenFixtures.today()));
        assertThat(sandbox.received()).hasSize(before + 1);
    }

    /** At-least-once delivery: the same event again is answered 200 and changes nothing. */
    @Test
    void repeatedDeliveryIsHarmless() {
        Citizen newborn = FIXTURES.citizen(Sex.FEMALE, CitizenFixtures.today().minusDays(2));
        directory.register(newborn);
        BirthRegistered birth = FIXTURES.birth(newborn);
        connector.deliver(birth);
        List<Object> received = sandbox.received();
        TaxpayerRecord record = sandbox.taxpayer(newborn.nik()).orElseThrow();
        TaxpayerRecord mother = sandbox.taxpayer(newborn.motherNik()).orElseThrow();

        // Meanwhile a sibling is registered: a redelivery must still not change the mother's record.
        directory.register(sibling(newborn, CitizenFixtures.today().minusYears(1)));
        connector.deliver(birth);

        assertThat(sandbox.duplicatesIgnored()).isEqualTo(3);
        assertThat(sandbox.received()).isEqualTo(received);
        assertThat(sandbox.taxpayer(newborn.nik())).contains(record);
        assertThat(sandbox.taxpayer(newborn.motherNik())).contains(mother);
    }

    /** The tax office is down: the delivery fails as unavailable, and succeeds once it is back on its port. */
    @Test
    void stoppedSandboxMeansUnavailableUntilItIsBack() {
        BirthRegistered birth = FIXTURES.birth();
        sandbox.stop();

        assertThatThrownBy(() -> connector.deliver(birth))
                .isInstanceOf(AgencyUnavailableException.class)
                .hasMessageContaining(sandbox.endpoint().toString())
                .satisfies(e -> assertThat(((JembatanException) e).code()).isEqualTo(ErrorCode.AGENCY_UNAVAILABLE));

        sandbox.start();
        connector.deliver(birth);
        assertThat(sandbox.taxpayer(birth.subjectNik())).isPresent();
    }

    @Test
    void clientErrorIsARejectionWithTheStartOfTheAnswer() {
        sandbox.setFailWith(400);

        assertThatThrownBy(() -> connector.deliver(FIXTURES.birth()))
                .isInstanceOf(AgencyRejectedException.class)
                .hasMessage("tax answered 400: tax sandbox is set to fail with 400")
                .satisfies(e -> assertThat(((JembatanException) e).code()).isEqualTo(ErrorCode.AGENCY_REJECTED));
    }

    @Test
    void serverErrorMeansUnavailable() {
        sandbox.setFailWith(503);

        assertThatThrownBy(() -> connector.deliver(FIXTURES.birth()))
                .isInstanceOf(AgencyUnavailableException.class)
                .hasMessage("tax answered 503: tax sandbox is set to fail with 503");
    }

    @Test
    void tooManyRequestsMeansLaterNotNever() {
        sandbox.setFailWith(429);

        assertThatThrownBy(() -> connector.deliver(FIXTURES.birth()))
                .isInstanceOf(AgencyUnavailableException.class);
    }

    @Test
    void conflictMeansTheTaxOfficeAlreadyHasIt() {
        sandbox.setFailWith(409);

        assertThatCode(() -> connector.deliver(FIXTURES.birth())).doesNotThrowAnyException();
    }

    /** An event the tax format cannot carry is refused before anything is sent. */
    @Test
    void untranslatableEventSendsNothing() {
        Citizen newborn = FIXTURES.citizen(Sex.MALE, CitizenFixtures.today());
        directory.register(newborn);
        for (int i = 0; i < 100; i++) {
            directory.register(sibling(newborn, CitizenFixtures.today().minusDays(i + 1)));
        }
        // 101 minor children: more than the XSD's DependantCount allows, so the parents' documents are invalid.
        assertThat(directory.livingMinorChildren(newborn.motherNik(), CitizenFixtures.today())).isGreaterThan(99);

        assertThatThrownBy(() -> connector.deliver(FIXTURES.birth(newborn)))
                .isInstanceOf(AgencyRejectedException.class)
                .satisfies(e -> assertThat(((JembatanException) e).code()).isEqualTo(ErrorCode.TRANSLATION_FAILED));
        assertThat(sandbox.received()).isEmpty();
    }

    /** An agency that accepts the connection but never answers: the request times out as unavailable. */
    @Test
    void noAnswerWithinTheTimeoutMeansUnavailable() throws IOException {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-agency");
            acceptor.setDaemon(true);
            acceptor.start();
            TaxConnector impatient = new TaxConnector(
                    URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/taxpayers"), directory,
                    Duration.ofMillis(300), HTTP);

            assertThatThrownBy(() -> impatient.deliver(FIXTURES.birth()))
                    .isInstanceOf(AgencyUnavailableException.class)
                    .hasMessageContaining("did not answer within PT0.3S");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * What reaches the agency's side: one POST per document, XML, with the MessageId in both headers; and an
     * answer that quotes a NIK comes back masked in the rejection.
     */
    @Test
    void requestsCarryTheMessageIdAndARefusalQuotingANikIsMasked() throws IOException {
        Citizen citizen = FIXTURES.citizen();
        List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
        HttpServer agency = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        agency.createContext("/taxpayers", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(Map.of(
                    "method", exchange.getRequestMethod(),
                    "contentType", exchange.getRequestHeaders().getFirst("Content-Type"),
                    "eventId", exchange.getRequestHeaders().getFirst(TaxConnector.EVENT_ID_HEADER),
                    "idempotencyKey", exchange.getRequestHeaders().getFirst(TaxConnector.IDEMPOTENCY_KEY_HEADER),
                    "messageId", TaxXml.messageId(TaxXml.unmarshal(body))));
            byte[] answer = ("taxpayer " + citizen.nik() + " is blocked").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(422, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        agency.start();
        try {
            TaxConnector toAgency = new TaxConnector(
                    URI.create("http://127.0.0.1:" + agency.getAddress().getPort() + "/taxpayers"), directory,
                    TIMEOUT, HTTP);
            var renamed = FIXTURES.nameChange(citizen.nik(), "Rina Handayani");

            assertThatThrownBy(() -> toAgency.deliver(renamed))
                    .isInstanceOf(AgencyRejectedException.class)
                    .hasMessage("tax answered 422: taxpayer " + Nik.mask(citizen.nik()) + " is blocked");
            String id = renamed.eventId().toString();
            assertThat(requests).containsExactly(Map.of("method", "POST", "contentType", "application/xml",
                    "eventId", id, "idempotencyKey", id, "messageId", id));
        } finally {
            agency.stop(0);
        }
    }

    /** Whatever happens, the connector and the sandbox never write a whole NIK into the log. */
    @Test
    void logsNeverShowAWholeNik() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Citizen newborn = FIXTURES.citizen(Sex.FEMALE, CitizenFixtures.today().minusDays(5));
            directory.register(newborn);
            BirthRegistered birth = FIXTURES.birth(newborn);
            connector.deliver(birth);
            connector.deliver(birth);
            connector.deliver(FIXTURES.nameChange(newborn.nik(), "Putri Lestari"));
            sandbox.setFailWith(409);
            connector.deliver(FIXTURES.death(newborn.nik(), CitizenFixtures.today()));
            sandbox.setFailWith(0);
            String invalid = "<TaxpayerChange xmlns=\"" + TaxXml.NAMESPACE + "\"><Nik>" + newborn.nik()
                    + "0</Nik></TaxpayerChange>";
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(sandbox.endpoint())
                    .header("Content-Type", "application/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(invalid)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);

            assertThat(logs.lines()).isNotEmpty()
                    .anySatisfy(line -> assertThat(line).contains(Nik.mask(newborn.nik())))
                    .noneMatch(line -> line.matches("(?s).*[0-9]{16}.*"));
        }
    }

    /** Another child of the same parents as {@code child}, born on {@code birthDate}. */
    /** A brother of {@code child}: another citizen with the same parents and family card. */
    static Citizen sibling(Citizen child, LocalDate birthDate) {
        Citizen other = FIXTURES.citizen(Sex.MALE, birthDate);
        return new Citizen(other.nik(), child.familyCardNumber(), other.fullName(), other.birthPlace(),
                other.birthDate(), other.sex(), other.religion(), other.maritalStatus(), other.occupation(),
                other.nationality(), child.motherNik(), child.fatherNik(), other.address());
    }

    private void deliverAndRegister(BirthRegistered birth) {
        connector.deliver(birth);
        assertThat(sandbox.taxpayer(birth.subjectNik())).isPresent();
    }
}
