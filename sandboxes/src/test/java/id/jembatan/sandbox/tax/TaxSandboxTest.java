package id.jembatan.sandbox.tax;

import id.jembatan.connector.tax.TaxTranslator;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tax office's side of the protocol, spoken to with a plain HTTP client as any agency client would. */
class TaxSandboxTest {

    private static final CitizenFixtures FIXTURES = new CitizenFixtures();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final TaxTranslator translator = new TaxTranslator();
    private TaxSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new TaxSandbox(0);
        sandbox.start();
    }

    @AfterEach
    void stop() {
        sandbox.stop();
    }

    @Test
    void firstTimeCreatesARepeatChangesNothing() throws Exception {
        byte[] registration = registrationXml(FIXTURES.birth());

        HttpResponse<String> first = post(registration, "application/xml");
        HttpResponse<String> repeat = post(registration, "application/xml; charset=UTF-8");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .startsWith(TaxSandbox.PATH + "/"));
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(sandbox.received()).hasSize(1);
        assertThat(sandbox.duplicatesIgnored()).isEqualTo(1);
    }

    @Test
    void sameMessageFromManyClientsAtOnceIsAppliedOnce() throws Exception {
        byte[] registration = registrationXml(FIXTURES.birth());
        List<Callable<Integer>> clients = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            clients.add(() -> post(registration, "application/xml").statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> status : pool.invokeAll(clients)) {
                statuses.add(status.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).containsOnlyOnce(201).containsOnly(200, 201);
        assertThat(sandbox.received()).hasSize(1);
        assertThat(sandbox.duplicatesIgnored()).isEqualTo(15);
    }

    @Test
    void onlyApplicationXmlIsAccepted() throws Exception {
        byte[] registration = registrationXml(FIXTURES.birth());

        assertThat(post(registration, "text/plain").statusCode()).isEqualTo(415);
        assertThat(post(registration, "application/json").statusCode()).isEqualTo(415);
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(sandbox.endpoint())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(registration)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(415);
        assertThat(sandbox.received()).isEmpty();
    }

    @Test
    void bodyAboveOneMebibyteIsRefused() throws Exception {
        byte[] huge = new byte[TaxSandbox.MAX_BODY_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');

        assertThat(post(huge, "application/xml").statusCode()).isEqualTo(413);
    }

    @Test
    void invalidDocumentIsRefusedWithAPlainTextReason() throws Exception {
        Citizen citizen = FIXTURES.citizen();
        String noMessageId = "<TaxpayerChange xmlns=\"" + TaxXml.NAMESPACE + "\"><Nik>" + citizen.nik()
                + "</Nik><FullName>Sri Wulandari</FullName></TaxpayerChange>";

        HttpResponse<String> refused = post(noMessageId.getBytes(StandardCharsets.UTF_8), "application/xml");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(refused.body()).contains("MessageId").doesNotContain(citizen.nik());
        assertThat(sandbox.received()).isEmpty();
        assertThat(sandbox.taxpayer(citizen.nik())).isEmpty();
    }

    @Test
    void documentWithAnEntityIsRefused() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE TaxpayerChange [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<TaxpayerChange xmlns=\"" + TaxXml.NAMESPACE + "\"><FullName>&xxe;</FullName></TaxpayerChange>";

        HttpResponse<String> refused = post(xxe.getBytes(StandardCharsets.UTF_8), "application/xml");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("DOCTYPE").doesNotContain("root:");
    }

    @Test
    void recordCanBeReadAsXml() throws Exception {
        BirthRegistered birth = FIXTURES.birth();
        post(registrationXml(birth), "application/xml");
        URI record = sandbox.endpoint().resolve(TaxSandbox.PATH + "/" + birth.subjectNik());

        HttpResponse<String> found = HTTP.send(HttpRequest.newBuilder(record).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(sandbox.endpoint()
                .resolve(TaxSandbox.PATH + "/" + FIXTURES.citizen().nik())).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> notANik = HTTP.send(HttpRequest.newBuilder(sandbox.endpoint()
                .resolve(TaxSandbox.PATH + "/12345")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/xml"));
        assertThat(found.body())
                .contains("<Nik>" + birth.subjectNik() + "</Nik>")
                .contains("<Registered>true</Registered>")
                .contains("<FullName>" + birth.citizen().fullName() + "</FullName>")
                .contains("<VillageCode>" + birth.citizen().address().villageCode() + "</VillageCode>");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(notANik.statusCode()).isEqualTo(400);
    }

    @Test
    void wrongMethodsAndPathsAreRefused() throws Exception {
        HttpResponse<String> getCollection = HTTP.send(HttpRequest.newBuilder(sandbox.endpoint()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> deleteRecord = HTTP.send(HttpRequest.newBuilder(sandbox.endpoint()
                        .resolve(TaxSandbox.PATH + "/" + FIXTURES.citizen().nik())).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(sandbox.endpoint()
                .resolve("/other")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(getCollection.statusCode()).isEqualTo(405);
        assertThat(getCollection.headers().firstValue("Allow")).contains("POST");
        assertThat(deleteRecord.statusCode()).isEqualTo(405);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
    }

    @Test
    void failureSwitchAnswersEverythingWithTheStatusUntilReset() throws Exception {
        byte[] registration = registrationXml(FIXTURES.birth());

        sandbox.setFailWith(500);
        HttpResponse<String> failed = post(registration, "application/xml");
        sandbox.setFailWith(0);
        HttpResponse<String> served = post(registration, "application/xml");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("set to fail with 500");
        assertThat(served.statusCode()).isEqualTo(201);
        assertThatThrownBy(() -> sandbox.setFailWith(302)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restartsOnTheSamePortAndKeepsWhatItReceived() throws Exception {
        BirthRegistered birth = FIXTURES.birth();
        post(registrationXml(birth), "application/xml");
        int port = sandbox.port();
        assertThat(port).isPositive();

        sandbox.stop();
        assertThat(sandbox.isRunning()).isFalse();
        assertThatThrownBy(() -> post(registrationXml(FIXTURES.birth()), "application/xml"))
                .isInstanceOf(IOException.class);

        sandbox.start();
        assertThat(sandbox.isRunning()).isTrue();
        assertThat(sandbox.port()).isEqualTo(port);
        assertThat(sandbox.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + port + "/taxpayers"));
        assertThat(sandbox.taxpayer(birth.subjectNik())).isPresent();
        assertThat(post(registrationXml(birth), "application/xml").statusCode()).isEqualTo(200);
    }

    @Test
    void recordOfAParentKnownOnlyFromChangesIsNotRegistered() throws Exception {
        Citizen child = FIXTURES.citizen();
        BirthRegistered birth = FIXTURES.birth(child);
        for (Object document : translator.translate(birth, Map.of(child.motherNik(), 1))) {
            post(TaxXml.marshal(document), "application/xml");
        }

        TaxpayerRecord mother = sandbox.taxpayer(child.motherNik()).orElseThrow();
        assertThat(mother.registered()).isFalse();
        assertThat(mother.numberOfDependants()).isEqualTo(1);
        assertThat(mother.fullName()).isNull();
    }

    private byte[] registrationXml(BirthRegistered birth) {
        return TaxXml.marshal(translator.translate(birth).get(0));
    }

    private HttpResponse<String> post(byte[] body, String contentType) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(sandbox.endpoint())
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
