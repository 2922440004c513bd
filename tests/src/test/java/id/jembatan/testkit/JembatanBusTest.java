package id.jembatan.testkit;

import id.jembatan.JembatanApplication;
import id.jembatan.contract.ContractValidator;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.sandbox.webhook.WebhookSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The integrators' test kit: extend this class and the test talks to a whole running bus, as an agency would. The
 * bus is the application with its own configuration (application.yaml, the demo profile, access-policy.yaml, so
 * the agency you added there) started once per test JVM: embedded broker with a CORE+AMQP acceptor on a port the
 * system chooses, the embedded PostgreSQL in a temporary data folder, real HTTP on a random port (the operator port on
 * another), every sandbox agency on a port the system chooses ({@link KitSandboxes}; the webhook sandbox receives for
 * each {@code json-http} agency; {@code ${jembatan.sandbox.webhook-port}} in an agency URL names its port), every
 * port bound first and read back, never found free and bound later; retries and request
 * time limits on a test scale, the retries for every configured agency ({@link TestScaleRetries}); quotas a test can
 * use up (verifications: 10 a second; bansos' lookups for SOCIAL_ASSISTANCE_ELIGIBILITY: 40 a day). Camel YAML routes
 * on the test classpath under {@code routes/} are copied into the bus's {@code jembatan.routes-dir} before it starts.
 *
 * <p>It gives a fixture factory of valid synthetic citizens ({@link #citizens}), {@link #publish} for the civil
 * registry's events, and assertions that wait for what an agency received ({@link #awaitWebhook},
 * {@link #awaitDeadLetter}). Settings of your own go in a {@code @DynamicPropertySource} or
 * {@code @TestPropertySource} of your test class (a different configuration starts a second bus).
 */
@SpringBootTest(classes = JembatanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestScaleRetries.class, KitSandboxes.class})
public abstract class JembatanBusTest {

    /** The demo key of the owner agency, who publishes life events. */
    public static final String CIVIL_REGISTRY_KEY = "demo-civil-registry-key";
    public static final String OPERATOR_KEY = "demo-operator-key";
    /** How long the kit's assertions wait unless told otherwise. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Buses started in this JVM: one per configuration (Spring keeps each test configuration's context). */
    private static final AtomicInteger BUSES = new AtomicInteger();
    /** Set by the JVM's first bus, which removes earlier runs' folders ({@link #createDataDir}). */
    private static final AtomicBoolean EARLIER_RUNS_REMOVED = new AtomicBoolean();
    /** The broker port of the bus the running test talks to; the tests of a JVM run one after another. */
    private static volatile int brokerPort;

    /** Valid synthetic citizens and events about them (NIK and KK structure, real region codes). */
    protected final CitizenFixtures citizens = new CitizenFixtures();

    @LocalServerPort
    protected int port;

    /** The bus's operator port: health, console, metrics and operator calls, on request threads of their own. */
    @Value("${local.operator.port}")
    protected int operatorPort;

    @Autowired(required = false)
    private WebhookSandbox webhooks;

    @Autowired
    private EmbeddedActiveMQ broker;

    /**
     * The kit's broker clients reach the bus of this test's configuration, over a CORE+AMQP acceptor on a port the
     * system chose (the bus's own acceptor, {@code jembatan.broker.port}, is off: it could only be given a port found
     * free beforehand), added once per bus with the bus's own security.
     */
    @BeforeEach
    void talkToThisTestsBus() {
        brokerPort = TestBus.tcpAcceptor(broker);
    }

    @DynamicPropertySource
    static void busProperties(DynamicPropertyRegistry registry) {
        // Called once per configuration: a test class with settings of its own gets a second bus beside the
        // first, with its own folder, broker (port, in-VM acceptor, name) and Camel context name.
        int bus = BUSES.getAndIncrement();
        Path dataDir = createDataDir();
        registry.add("jembatan.data-dir", dataDir::toString);
        registry.add("jembatan.routes-dir", () -> copyRoutes(dataDir.resolve("routes")).toString());
        registry.add("jembatan.broker.port", () -> 0);
        if (bus > 0) {
            registry.add("jembatan.broker.name", () -> "jembatan-kit-" + bus);
            registry.add("jembatan.broker.in-vm-id", () -> 100 + bus);
            registry.add("camel.main.name", () -> "jembatan-kit-" + bus);
        }
        registry.add("spring.jmx.unique-names", () -> true);
        // Spring Boot's test support turns metrics exporters off; the operator console serves Prometheus.
        registry.add("management.prometheus.metrics.export.enabled", () -> true);
        registry.add("jembatan.http.operator.port", () -> 0);
        // How long a request's head and body may take to arrive, on a test scale: a test of slow clients waits
        // seconds, not tens of seconds. Requests that send at once are not affected.
        registry.add("jembatan.http.request-head-timeout", () -> "3s");
        registry.add("jembatan.http.request-body-timeout", () -> "3s");
        // A verification quota a test can use up in a few dozen requests.
        registry.add("jembatan.quotas.defaults.verification.per-second", () -> 10);
        // A day's quota a test can use up exactly, whatever the machine's speed: bansos' lookups, 40 a day.
        registry.add("jembatan.quotas.grants[0].agency", () -> "bansos");
        registry.add("jembatan.quotas.grants[0].purpose", () -> "SOCIAL_ASSISTANCE_ELIGIBILITY");
        registry.add("jembatan.quotas.grants[0].operation", () -> "lookup");
        registry.add("jembatan.quotas.grants[0].per-second", () -> 1000);
        registry.add("jembatan.quotas.grants[0].per-day", () -> 40);
        // And procurement's questions to the tax office's status service, 60 a day.
        registry.add("jembatan.quotas.grants[1].agency", () -> "procurement");
        registry.add("jembatan.quotas.grants[1].purpose", () -> "SUPPLIER_VERIFICATION");
        registry.add("jembatan.quotas.grants[1].operation", () -> "owner-service");
        registry.add("jembatan.quotas.grants[1].per-second", () -> 1000);
        registry.add("jembatan.quotas.grants[1].per-day", () -> 60);
        registry.add("jembatan.agencies.licensing.delivery.batch-interval", () -> "200ms");
        // The tax office's status service on a test scale: a slow answer is cut off after a second, a circuit opened
        // by failures is tried again after a second, and a caller is told to come back after one.
        registry.add("jembatan.services.tax.taxpayer-status.timeout", () -> "1s");
        registry.add("jembatan.services.tax.taxpayer-status.retry-after", () -> "1s");
        registry.add("jembatan.services.tax.taxpayer-status.circuit-breaker.open-for", () -> "1s");
    }

    /**
     * Retries on a test scale for these agencies, as a test's own properties (above everything else): an unreachable
     * agency is retried every second at most, a refused event is dead-lettered after three attempts. The kit already
     * gives them to every agency of the bus's configuration, including one a test adds in its own
     * {@code @DynamicPropertySource} ({@link TestScaleRetries}); this is for a bus configured otherwise.
     */
    public static void testScaleRetries(DynamicPropertyRegistry registry, List<String> agencies) {
        for (String agency : agencies) {
            TestScaleRetries.settings(agency).forEach((key, value) -> registry.add(key, () -> value));
        }
    }

    /** The bus's broker acceptor as an agency reaches it (CORE or AMQP over TCP). */
    protected static String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    /**
     * A broker client signed in as an operator (user {@code operator}, the demo operator key) over TCP: may do what
     * the bus does, to watch queues and dead letters. A client without a user is refused by the bus's broker.
     */
    public static ActiveMQConnectionFactory operatorConnectionFactory() {
        return brokerClient("operator", OPERATOR_KEY);
    }

    /** A broker client signed in as the civil registry (user {@code civil-registry}, its demo key): may only send. */
    public static ActiveMQConnectionFactory civilRegistryConnectionFactory() {
        return brokerClient("civil-registry", CIVIL_REGISTRY_KEY);
    }

    /** A broker client over TCP signed in as {@code user} with {@code key}. */
    public static ActiveMQConnectionFactory brokerClient(String user, String key) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl());
        factory.setUser(user);
        factory.setPassword(key);
        return factory;
    }

    /** The bus's HTTP base, {@code http://127.0.0.1:<port>}. */
    protected URI busUri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A path on the bus's operator port (health, console, metrics, operator calls). */
    protected URI operatorUri(String path) {
        return URI.create("http://127.0.0.1:" + operatorPort + path);
    }

    /**
     * Sends an event as the civil registry does ({@code POST /api/v1/events}) and checks it was accepted.
     *
     * @return the event's id, to wait for its delivery
     */
    protected UUID publish(CitizenEvent event) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(busUri("/api/v1/events"))
                .timeout(Duration.ofSeconds(30))
                .header("X-API-Key", CIVIL_REGISTRY_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CanonicalJson.write(event), StandardCharsets.UTF_8)));
        if (response.statusCode() != 202) {
            throw new AssertionError(event.eventType().wireName() + " " + event.eventId() + " was answered "
                    + response.statusCode() + ": " + response.body());
        }
        return event.eventId();
    }

    /**
     * Waits until the webhook sandbox of {@code agency} (a {@code json-http} agency whose URL points at the
     * sandbox) accepted the event: its signature was valid and the agency answered success.
     *
     * @return what the agency received: the exact body and the event headers
     */
    protected ReceivedWebhook awaitWebhook(String agency, UUID eventId, Duration within) {
        if (webhooks == null) {
            throw new IllegalStateException("the sandbox agencies are off (jembatan.sandbox.enabled=false)");
        }
        return await("webhook agency " + agency + " received event " + eventId).atMost(within)
                .until(() -> received(agency, eventId), Optional::isPresent).orElseThrow();
    }

    protected ReceivedWebhook awaitWebhook(String agency, UUID eventId) {
        return awaitWebhook(agency, eventId, DEFAULT_WAIT);
    }

    /** What the webhook sandbox of {@code agency} accepted so far. */
    protected List<ReceivedWebhook> webhooksReceived(String agency) {
        return webhooks == null ? List.of() : webhooks.received(agency);
    }

    /** The webhook sandbox, to make it fail ({@link WebhookSandbox#setFailWith}) in a test of retries. */
    protected WebhookSandbox webhookSandbox() {
        return webhooks;
    }

    /**
     * Waits until the event lies in the agency's dead-letter queue ({@code dlq.<agency>}), browsed without taking it.
     *
     * @return the dead letter, with {@code JembatanErrorCode} and {@code JembatanErrorReason}
     */
    protected Message awaitDeadLetter(String agency, UUID eventId, Duration within) {
        return await("event " + eventId + " dead-lettered for " + agency).atMost(within)
                .until(() -> deadLetter(agency, eventId), Optional::isPresent).orElseThrow();
    }

    private Optional<ReceivedWebhook> received(String agency, UUID eventId) {
        return webhooks.received(agency).stream().filter(r -> eventId.toString().equals(r.eventId())).findFirst();
    }

    private static Optional<Message> deadLetter(String agency, UUID eventId) throws JMSException {
        try (Connection connection = operatorConnectionFactory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue("dlq." + agency),
                    "JembatanEventId = '" + eventId + "'");
            for (Object m : Collections.list(browser.getEnumeration())) {
                return Optional.of((Message) m);
            }
            return Optional.empty();
        }
    }

    /**
     * Sends a request to the bus. Every answer of the v1 API ({@code /api/...}) is checked against the published
     * OpenAPI document, so a test that sees the bus drift from its contract fails.
     */
    public static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            ContractValidator.v1().check(response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies {@code classpath*:routes/*.yaml} into the routes folder the bus loads at start. */
    private static Path copyRoutes(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:routes/*.yaml")) {
                try (InputStream in = r.getInputStream()) {
                    Files.copy(in, dir.resolve(r.getFilename()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A data folder of its own for each bus, under {@code target/kit-buses} as the other end-to-end tests keep theirs
     * (a bus's folder holds its PostgreSQL cluster and broker journal, about 100 MB; in the system's temporary folder
     * every run's folders stayed until the disk filled and the broker stopped taking messages). The buses of a JVM
     * stop with it, so the first bus of a JVM removes the folders of earlier runs whose PostgreSQL is no longer
     * running (one that outlived a killed JVM is left alone).
     */
    private static Path createDataDir() {
        try {
            Path buses = Files.createDirectories(Path.of("target", "kit-buses")).toAbsolutePath();
            if (EARLIER_RUNS_REMOVED.compareAndSet(false, true)) {
                try (Stream<Path> earlier = Files.list(buses)) {
                    earlier.filter(JembatanBusTest::storeStopped).forEach(JembatanBusTest::deleteQuietly);
                }
            }
            return Files.createTempDirectory(buses, "bus-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the embedded PostgreSQL of the bus folder {@code dir} is down (no pid file, or its process is gone). */
    private static boolean storeStopped(Path dir) {
        Path pidFile = dir.resolve("db").resolve("postgres").resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // left for the next run
        }
    }
}
