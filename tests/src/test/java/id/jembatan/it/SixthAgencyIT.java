package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySettings;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.testkit.JembatanBusTest;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An integrator adds a sixth agency, the pension fund ({@code pensions}, a {@code json-http} webhook receiving births
 * and name changes with the name and birth date), in configuration only and in the test's own
 * {@code @DynamicPropertySource}, as docs/adding-an-agency.md tells them to, and tests it with the kit.
 */
class SixthAgencyIT extends JembatanBusTest {

    @Autowired
    AgenciesSettings settings;

    @DynamicPropertySource
    static void pensions(DynamicPropertyRegistry registry) {
        registry.add("jembatan.agencies.pensions.connector", () -> "json-http");
        registry.add("jembatan.agencies.pensions.subscribes", () -> "BirthRegistered,NameChanged");
        registry.add("jembatan.agencies.pensions.url",
                () -> "http://127.0.0.1:${jembatan.sandbox.webhook-port}/pensions/events");
        registry.add("jembatan.agencies.pensions.signing-secret", () -> "pensions-it-signing-secret-of-32-bytes");
        registry.add("jembatan.access-policy.agencies.pensions.receive", () -> "fullName,birthDate");
    }

    /**
     * A citizen is born. Result: the pension fund's webhook receives the birth, signed, with the name and birth date
     * and nothing else of the citizen but the NIK.
     */
    @Test
    void theSixthAgencyReceivesABirthWithItsFields() throws IOException {
        BirthRegistered birth = citizens.birth();
        ReceivedWebhook delivery = awaitWebhook("pensions", publish(birth));
        JsonNode citizen = CanonicalJson.mapper().readTree(delivery.body()).get("citizen");
        assertThat(citizen.get("nik").asText()).isEqualTo(birth.citizen().nik());
        assertThat(citizen.get("fullName").asText()).isEqualTo(birth.citizen().fullName());
        assertThat(citizen.has("address")).isFalse();
        assertThat(citizen.has("familyCardNumber")).isFalse();
    }

    /**
     * The kit reads the agencies from the bus's configuration. Result: every configured agency, the pension fund
     * added by this test among them, has the test-scale retries (100 ms doubling to 1 s, two redeliveries).
     */
    @Test
    void everyConfiguredAgencyHasTestScaleRetries() {
        assertThat(settings.agencies()).containsKeys("tax", "health", "licensing", "bansos", "pensions");
        settings.agencies().forEach((id, agency) -> {
            AgencySettings.Delivery delivery = agency.delivery();
            assertThat(delivery.redeliveryDelay()).as(id).isEqualTo(Duration.ofMillis(100));
            assertThat(delivery.maximumRedeliveryDelay()).as(id).isEqualTo(Duration.ofSeconds(1));
            assertThat(delivery.maximumRedeliveries()).as(id).isEqualTo(2);
        });
    }

    /**
     * The pension fund refuses a name change (422), which only it subscribes to. Result: the event is dead-lettered
     * after three attempts, the test scale, not the five a real agency gets.
     */
    @Test
    void aRefusedEventIsDeadLetteredAfterTheTestScaleAttempts() {
        BirthRegistered birth = citizens.birth();
        awaitWebhook("pensions", publish(birth));
        int failedBefore = webhookSandbox().failedRequests();
        webhookSandbox().setFailWith(422);
        Message dead;
        try {
            UUID renamed = publish(citizens.nameChange(birth.citizen().nik(), "Rahmat Hidayat Putra"));
            dead = awaitDeadLetter("pensions", renamed, Duration.ofSeconds(20));
        } finally {
            webhookSandbox().setFailWith(0);
        }
        assertThat(dead).isNotNull();
        assertThat(webhookSandbox().failedRequests() - failedBefore).isEqualTo(3);
    }
}
