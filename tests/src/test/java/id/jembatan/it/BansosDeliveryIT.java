package id.jembatan.it;

import id.jembatan.schema.fixtures.CitizenFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.webhook.WebhookSignature;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.EventType;
import id.jembatan.testkit.JembatanBusTest;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The social welfare agency (bansos), added as configuration only: a {@code json-http} webhook receiving births,
 * deaths and address changes as signed canonical JSON with the fields its policy allows. Written with the
 * integrators' test kit ({@link JembatanBusTest}), as docs/adding-an-agency.md shows.
 */
class BansosDeliveryIT extends JembatanBusTest {

    @Value("${jembatan.agencies.bansos.signing-secret}")
    String secret;

    @Value("${jembatan.agencies.bansos.url}")
    URI bansosUrl;

    /**
     * A citizen is born, moves, changes name and dies. Result: bansos receives the birth, the move and the death,
     * each signed with its secret over the exact body (checked again here), with the family card, name, birth
     * date, sex, address and date of death, and without religion, birth place, occupation, parents, marital status
     * or place of death; the name change, which it does not subscribe to, never reaches it.
     */
    @Test
    void birthsMovesAndDeathsReachBansosWithOnlyItsFields() throws IOException {
        BirthRegistered birth = citizens.birth();
        String nik = birth.citizen().nik();
        UUID born = publish(birth);
        UUID moved = publish(citizens.addressChange(nik, citizens.otherAddress(birth.citizen().address())));
        UUID renamed = publish(citizens.nameChange(nik, "Dewi Lestari Putri"));
        UUID died = publish(citizens.death(nik, CitizenFixtures.today().minusDays(1)));

        ReceivedWebhook birthDelivery = awaitWebhook("bansos", born);
        assertSignedBody(birthDelivery);
        JsonNode citizen = CanonicalJson.mapper().readTree(birthDelivery.body()).get("citizen");
        assertThat(citizen.get("nik").asText()).isEqualTo(nik);
        assertThat(citizen.get("fullName").asText()).isEqualTo(birth.citizen().fullName());
        assertThat(citizen.get("familyCardNumber").asText()).isEqualTo(birth.citizen().familyCardNumber());
        assertThat(citizen.get("birthDate").asText()).isEqualTo(birth.citizen().birthDate().toString());
        assertThat(citizen.get("address").get("villageCode").asText())
                .isEqualTo(birth.citizen().address().villageCode());
        assertThat(citizen.has("sex")).isTrue();
        assertThat(citizen.has("religion")).isFalse();
        assertThat(citizen.has("birthPlace")).isFalse();
        assertThat(citizen.has("occupation")).isFalse();
        assertThat(citizen.has("motherNik")).isFalse();
        assertThat(citizen.has("fatherNik")).isFalse();
        assertThat(citizen.has("maritalStatus")).isFalse();

        ReceivedWebhook moveDelivery = awaitWebhook("bansos", moved);
        assertThat(moveDelivery.eventType()).isEqualTo(EventType.ADDRESS_CHANGED.wireName());
        assertSignedBody(moveDelivery);

        ReceivedWebhook deathDelivery = awaitWebhook("bansos", died);
        assertSignedBody(deathDelivery);
        JsonNode death = CanonicalJson.mapper().readTree(deathDelivery.body());
        assertThat(death.get("dateOfDeath").asText()).isEqualTo(CitizenFixtures.today().minusDays(1).toString());
        assertThat(death.has("placeOfDeath")).isFalse();
        // One citizen's events arrive in order: once the death is there, the name change would have been too.
        assertThat(webhooksReceived("bansos")).noneMatch(r -> r.eventId().equals(renamed.toString()));
    }

    /**
     * Someone posts to the bansos sandbox without the bus's secret, or replays a genuine request an hour later.
     * Result: 401 both times; the sandbox checks deliveries the way the guide tells the agency to.
     */
    @Test
    void theReceivingSideRefusesForgedAndReplayedRequests() throws Exception {
        byte[] body = CanonicalJson.write(citizens.birth()).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        WebhookSignature forger = new WebhookSignature("a-secret-that-is-not-the-bus-secret-at-all");
        assertThat(postToBansos(body, now, forger.sign(now, body)).statusCode()).isEqualTo(401);
        long hourAgo = now - 3600;
        WebhookSignature bus = new WebhookSignature(secret);
        assertThat(postToBansos(body, hourAgo, bus.sign(hourAgo, body)).statusCode()).isEqualTo(401);
    }

    /**
     * Bansos refuses a birth with 422. Result: after the configured attempts the event lies in {@code dlq.bansos}
     * with code AGENCY_REJECTED and bansos's answer as the reason; the next event is delivered once it accepts again.
     */
    @Test
    void aRefusedEventIsDeadLetteredWithTheAgencysReason() {
        BirthRegistered refused = citizens.birth();
        webhookSandbox().setFailWith(422);
        Message dead;
        try {
            dead = awaitDeadLetter("bansos", publish(refused), Duration.ofSeconds(30));
        } finally {
            webhookSandbox().setFailWith(0);
        }
        assertThat(getString(dead, "JembatanErrorCode")).isEqualTo("AGENCY_REJECTED");
        assertThat(getString(dead, "JembatanErrorReason")).contains("bansos answered 422");
        awaitWebhook("bansos", publish(citizens.birth()));
    }

    /**
     * Bansos is down (503) while a birth is published. Result: the event waits and is retried; once bansos
     * answers again it receives the birth, signed.
     */
    @Test
    void anUnavailableAgencyGetsTheEventWhenItIsBack() {
        webhookSandbox().setFailWith(503);
        UUID eventId;
        try {
            int failedBefore = webhookSandbox().failedRequests();
            eventId = publish(citizens.birth());
            await().atMost(Duration.ofSeconds(20)).until(() -> webhookSandbox().failedRequests() >= failedBefore + 3);
            assertThat(webhooksReceived("bansos")).noneMatch(r -> r.eventId().equals(eventId.toString()));
        } finally {
            webhookSandbox().setFailWith(0);
        }
        assertSignedBody(awaitWebhook("bansos", eventId));
    }

    /** Checks the signature again as the agency would, with the demo secret from the configuration. */
    private void assertSignedBody(ReceivedWebhook delivery) {
        assertThat(delivery.contentType()).startsWith("application/json");
        assertThat(new WebhookSignature(secret).verify(delivery.signature(), delivery.timestamp(), delivery.body(),
                Instant.now(), Duration.ofMinutes(5))).as("signature of " + delivery.eventId()).isTrue();
        assertThat(CanonicalJson.toEvent(CanonicalJson.readBody(delivery.body())).eventId().toString())
                .isEqualTo(delivery.eventId());
    }

    private HttpResponse<String> postToBansos(byte[] body, long timestamp, String signature) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(bansosUrl)
                        .header("Content-Type", "application/json")
                        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .header(WebhookSignature.SIGNATURE_HEADER, signature)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String getString(Message message, String property) {
        try {
            return message.getStringProperty(property);
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }
}
