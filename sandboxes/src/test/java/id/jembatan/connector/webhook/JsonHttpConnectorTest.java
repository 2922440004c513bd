package id.jembatan.connector.webhook;

import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.BatchResult;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.sandbox.webhook.WebhookSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook connector against the webhook sandbox, over real HTTP on 127.0.0.1. */
class JsonHttpConnectorTest {

    private static final String SECRET = "bansos-test-secret-0123456789abcdef";

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final WebhookSandbox sandbox = new WebhookSandbox(0, Map.of("bansos", SECRET), Clock.systemUTC());

    @AfterEach
    void stop() {
        sandbox.stop();
    }

    private JsonHttpConnector connector(String secret, URI endpoint) {
        return new JsonHttpConnector("bansos", endpoint, Duration.ofSeconds(5), http, new CanonicalJsonTranslator(),
                new WebhookSignature(secret), Clock.systemUTC());
    }

    @Test
    void postsTheCanonicalEventSignedAndOnceOnly() {
        sandbox.start();
        BirthRegistered birth = fixtures.birth();
        JsonHttpConnector connector = connector(SECRET, sandbox.endpoint("bansos"));
        connector.deliver(birth);
        connector.deliver(birth);
        assertThat(sandbox.received("bansos")).singleElement().satisfies(r -> {
            assertThat(r.eventId()).isEqualTo(birth.eventId().toString());
            assertThat(r.eventType()).isEqualTo("BirthRegistered");
            assertThat(r.bodyText()).isEqualTo(CanonicalJson.write(birth));
        });
    }

    @Test
    void anotherSecretIsRefusedAndDeadLettered() {
        sandbox.start();
        assertThatThrownBy(() -> connector("not-the-agency-secret-0123456789abcdef", sandbox.endpoint("bansos"))
                .deliver(fixtures.birth()))
                .isInstanceOf(AgencyRejectedException.class)
                .hasMessageStartingWith("bansos answered 401: signature missing, wrong or outside");
        assertThat(sandbox.received("bansos")).isEmpty();
    }

    @Test
    void serverErrorsAndAnUnreachableAgencyMeanLater() throws Exception {
        sandbox.start();
        sandbox.setFailWith(503);
        assertThatThrownBy(() -> connector(SECRET, sandbox.endpoint("bansos")).deliver(fixtures.birth()))
                .isInstanceOf(AgencyUnavailableException.class).hasMessage("bansos answered 503: "
                        + "webhook sandbox is set to fail with 503");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> connector(SECRET, URI.create("http://127.0.0.1:" + closed + "/bansos/events"))
                .deliver(fixtures.birth()))
                .isInstanceOf(AgencyUnavailableException.class).hasMessageContaining("bansos unreachable");
    }

    /**
     * With {@code batch: true}, three events in one call, then the same three again. Result: they arrive as one JSON
     * array signed as one body, which the agency checks and keeps element by element (each the canonical event as it
     * would have come alone); the repeat adds nothing; nothing is refused.
     */
    @Test
    void aBatchIsOneSignedJsonArrayKeptByEventId() {
        sandbox.start();
        List<CitizenEvent> events = List.of(fixtures.birth(), fixtures.birth(), fixtures.birth());
        JsonHttpConnector connector = new JsonHttpConnector("bansos", sandbox.endpoint("bansos"),
                Duration.ofSeconds(5), http, new CanonicalJsonTranslator(), new WebhookSignature(SECRET),
                Clock.systemUTC(), true);

        BatchResult first = connector.deliverAll(events);
        BatchResult again = connector.deliverAll(events);

        for (BatchResult result : List.of(first, again)) {
            assertThat(IntStream.range(0, result.size()).allMatch(result::delivered)).isTrue();
        }
        assertThat(sandbox.received("bansos")).extracting(ReceivedWebhook::eventId)
                .containsExactlyElementsOf(events.stream().map(e -> e.eventId().toString()).toList());
        assertThat(sandbox.received("bansos")).extracting(ReceivedWebhook::bodyText)
                .containsExactlyElementsOf(events.stream().map(CanonicalJson::write).toList());
        assertThat(sandbox.received("bansos")).extracting(ReceivedWebhook::signature).containsOnly(
                sandbox.received("bansos").get(0).signature());
    }

    /**
     * With {@code batch: true} but a secret the agency does not share, so it refuses the batch (401). Result: the
     * events are sent again one per request, each refused alone with the agency's answer; nothing is kept.
     */
    @Test
    void aBatchRefusedAsAWholeIsSentAgainEventByEvent() {
        sandbox.start();
        List<CitizenEvent> events = List.of(fixtures.birth(), fixtures.birth());
        JsonHttpConnector connector = new JsonHttpConnector("bansos", sandbox.endpoint("bansos"),
                Duration.ofSeconds(5), http, new CanonicalJsonTranslator(),
                new WebhookSignature("not-the-agency-secret-0123456789abcdef"), Clock.systemUTC(), true);

        BatchResult result = connector.deliverAll(events);

        assertThat(result.refusal(0)).isInstanceOf(AgencyRejectedException.class).hasMessageStartingWith(
                "bansos answered 401");
        assertThat(result.refusal(1)).isInstanceOf(AgencyRejectedException.class);
        assertThat(sandbox.received("bansos")).isEmpty();
    }
}
