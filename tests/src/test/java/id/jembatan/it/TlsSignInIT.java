package id.jembatan.it;

import id.jembatan.config.BrokerConfiguration;
import id.jembatan.testkit.TestCa;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
import static org.awaitility.Awaitility.await;

/**
 * Agencies sign in with a client certificate over mutual TLS. The test makes its own CA at run time, a server
 * certificate for the bus's HTTPS port and client certificates, and a second, unknown CA; the bus (its own, with
 * {@code jembatan.http.tls.*} and an SSL bundle of these stores) registers the tax office's certificate by its SHA-256
 * fingerprint, and the civil registry's for the broker's TLS acceptor. Every call is real TLS (the JDK's HTTP
 * client, Artemis' CORE client).
 */
class TlsSignInIT extends BusTestSupport {

    private static final TestCa CA = TestCa.create("Jembatan test agencies CA");
    private static final TestCa UNKNOWN_CA = TestCa.create("Somebody else's CA");
    private static final TestCa.Issued SERVER = CA.server();
    private static final TestCa.Issued TAX = CA.client("tax-system");
    /** Issued by the right CA but not registered for any agency (or removed from the configuration). */
    private static final TestCa.Issued UNREGISTERED = CA.client("retired-tax-system");
    private static final TestCa.Issued STRANGER = UNKNOWN_CA.client("tax-system");
    private static final TestCa.Issued CIVIL_REGISTRY = CA.client("civil-registry-system");
    /** Where the clients' stores are written (the broker client reads them from files). */
    private static Path stores;

    @Value("${local.tls.port}")
    int tlsPort;

    @Autowired
    EmbeddedActiveMQ broker;

    @DynamicPropertySource
    static void mutualTls(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("jembatan-tls-");
        stores = dir;
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
        registry.add("jembatan.broker.tls.port", () -> 0);
        registry.add("jembatan.broker.tls.key-store", keyStore::toString);
        registry.add("jembatan.broker.tls.key-store-password", () -> TestCa.PASSWORD);
        registry.add("jembatan.broker.tls.trust-store", trustStore::toString);
        registry.add("jembatan.broker.tls.trust-store-password", () -> TestCa.PASSWORD);
        registry.add("jembatan.agencies.civil-registry.client-certificates", CIVIL_REGISTRY::fingerprint);
    }

    /**
     * The civil registry connects to the broker's TLS acceptor with its registered certificate and no user, and
     * sends a birth to its inbound queue. Result: it is signed in and allowed to send, and the birth is applied (the
     * tax office can look the citizen up).
     */
    @Test
    void theBrokerSignsARegisteredCertificateIn() throws Exception {
        var birth = citizens.birth();
        try (Connection connection = brokerOverTls(CIVIL_REGISTRY, "civil-registry").createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("civilregistry.events.in"))
                    .send(session.createTextMessage(json(birth)));
        }
        await().atMost(DEFAULT_WAIT).until(() -> get("/api/v1/citizens/" + birth.citizen().nik()
                + "?purpose=TAXPAYER_REGISTRATION", TAX_KEY).statusCode() == 200);
    }

    /**
     * On the broker's TLS acceptor: a certificate of the right CA not registered for an agency, and one of an unknown
     * CA. Result: the first is refused at sign-in ({@code JMSSecurityException}), the second cannot connect (the
     * TLS handshake fails).
     */
    @Test
    void theBrokerRefusesUnregisteredAndUnknownCertificates() {
        assertThatThrownBy(() -> brokerOverTls(UNREGISTERED, "unregistered").createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> brokerOverTls(STRANGER, "stranger").createConnection().close())
                .isInstanceOf(JMSException.class).isNotInstanceOf(JMSSecurityException.class);
    }

    /** A broker client over the TLS acceptor presenting {@code client}'s certificate, without user or password. */
    private ActiveMQConnectionFactory brokerOverTls(TestCa.Issued client, String name) {
        Path keyStore = TestCa.write(client.keyStore(), stores.resolve(name + ".p12"));
        Path trustStore = TestCa.write(CA.trustStore(), stores.resolve("bus-ca.p12"));
        int port = ((NettyAcceptor) broker.getActiveMQServer().getRemotingService()
                .getAcceptor(BrokerConfiguration.TLS_ACCEPTOR)).getActualPort();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port
                + "?sslEnabled=true;verifyHost=false;keyStoreType=PKCS12;keyStorePath=" + keyStore
                + ";keyStorePassword=" + TestCa.PASSWORD + ";trustStoreType=PKCS12;trustStorePath=" + trustStore
                + ";trustStorePassword=" + TestCa.PASSWORD + ";reconnectAttempts=0;initialConnectAttempts=1");
        return factory;
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
