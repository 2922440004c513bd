package id.jembatan.it;

import id.jembatan.testkit.TestCa;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Agencies sign in with a client certificate over mutual TLS. The test makes its own CA at run time, a server
 * certificate for the bus's HTTPS port and client certificates, and a second, unknown CA; the bus (its own, with
 * {@code jembatan.http.tls.*} and an SSL bundle of these stores) registers the tax office's certificate by its SHA-256
 * fingerprint. Every call is real TLS from the JDK's HTTP client.
 */
class TlsSignInIT extends BusTestSupport {

    private static final TestCa CA = TestCa.create("Jembatan test agencies CA");
    private static final TestCa UNKNOWN_CA = TestCa.create("Somebody else's CA");
    private static final TestCa.Issued SERVER = CA.server();
    private static final TestCa.Issued TAX = CA.client("tax-system");
    /** Issued by the right CA but not registered for any agency (or removed from the configuration). */
    private static final TestCa.Issued UNREGISTERED = CA.client("retired-tax-system");
    private static final TestCa.Issued STRANGER = UNKNOWN_CA.client("tax-system");

    @Value("${local.tls.port}")
    int tlsPort;

    @DynamicPropertySource
    static void mutualTls(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("jembatan-tls-");
        Path keyStore = TestCa.write(SERVER.keyStore(), dir.resolve("server.p12"));
        Path trustStore = TestCa.write(CA.trustStore(), dir.resolve("agencies-ca.p12"));
        String bundle = "spring.ssl.bundle.jks.agencies.";
        registry.add(bundle + "keystore.location", () -> keyStore.toUri().toString());
        registry.add(bundle + "keystore.password", () -> TestCa.PASSWORD);
        registry.add(bundle + "keystore.type", () -> "PKCS12");
        registry.add(bundle + "truststore.location", () -> trustStore.toUri().toString());
        registry.add(bundle + "truststore.password", () -> TestCa.PASSWORD);
        registry.add(bundle + "truststore.type", () -> "PKCS12");
        registry.add("jembatan.http.tls.port", () -> 0);
        registry.add("jembatan.http.tls.bundle", () -> "agencies");
        registry.add("jembatan.agencies.tax.client-certificates", TAX::fingerprint);
    }

    /**
     * The tax office's system presents its registered certificate and looks a registered citizen up. Result: 200
     * with the fields of its policy, as with its API key, and the lookup is in the citizen's access log under
     * {@code tax}.
     */
    @Test
    void theRegisteredCertificateSignsItsAgencyIn() {
        String nik = registered();
        HttpResponse<String> found = lookup(TAX.clientContext(CA), nik);

        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(read(found)).isEqualTo(read(get("/api/v1/citizens/" + nik
                + "?purpose=TAXPAYER_REGISTRATION", TAX_KEY)));
        assertThat(read(get("/api/v1/citizens/" + nik + "/access-log", CITIZEN_PORTAL_KEY)).findValuesAsText("agency"))
                .contains("tax");
    }

    /**
     * A certificate of the right CA that is not registered for an agency (never was, or its fingerprint was removed
     * from the configuration). Result: 401 {@code AGENCY_UNAUTHENTICATED} problem+json, no citizen data.
     */
    @Test
    void aCertificateNotRegisteredIsRefused() {
        assertProblem(lookup(UNREGISTERED.clientContext(CA), registered()), 401, "AGENCY_UNAUTHENTICATED");
    }

    /**
     * A client presents a certificate issued by a CA the bus does not trust, with the same name as the tax office's.
     * Result: the TLS handshake fails: no HTTP request reaches the bus.
     */
    @Test
    void aCertificateOfAnUnknownCaIsRefusedAtTheHandshake() {
        String nik = registered();
        assertThatThrownBy(() -> lookup(STRANGER.clientContext(CA), nik)).hasCauseInstanceOf(IOException.class);
    }

    /**
     * The tax office is suspended while it signs in with its certificate. Result: 403 {@code AGENCY_SUSPENDED};
     * reinstated, 200 again.
     */
    @Test
    void aSuspendedAgencysCertificateIsRefused() {
        String nik = registered();
        try {
            send(request("/api/v1/operations/agencies/tax/suspend", OPERATOR_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"Certificate review (test)\"}")));
            assertProblem(lookup(TAX.clientContext(CA), nik), 403, "AGENCY_SUSPENDED");
        } finally {
            send(request("/api/v1/operations/agencies/tax/reinstate", OPERATOR_KEY)
                    .POST(HttpRequest.BodyPublishers.noBody()));
        }
        assertThat(lookup(TAX.clientContext(CA), nik).statusCode()).isEqualTo(200);
    }

    private String registered() {
        var birth = citizens.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        return birth.citizen().nik();
    }

    /** A lookup over the HTTPS port with the client's TLS context and no key or token. */
    private HttpResponse<String> lookup(SSLContext tls, String nik) {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort
                            + "/api/v1/citizens/" + nik + "?purpose=TAXPAYER_REGISTRATION"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
