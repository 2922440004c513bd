package id.jembatan.it;

import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An event an agency always refuses is dead-lettered and does not block that agency's queue. */
class PoisonDeliveryIT extends BusTestSupport {

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    TaxSandbox tax;

    /**
     * The tax office answers 400 to everything while a birth is delivered. Result: after the first attempt and the
     * configured 2 redeliveries the event lands in {@code dlq.tax}, unchanged, with code {@code AGENCY_REJECTED}
     * and the tax office's answer as reason; the next birth, sent once tax accepts again, is delivered.
     */
    @Test
    void aRefusedEventIsDeadLetteredAndTheQueueKeepsFlowing() throws Exception {
        Session session = session(false);
        MessageConsumer deadLetters = session.createConsumer(session.createQueue("dlq.tax"));
        BirthRegistered refused = fixtures.birth();
        BirthRegistered next = fixtures.birth();
        tax.setFailWith(400);
        try {
            assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(refused)).statusCode()).isEqualTo(202);
            Message dead = deadLetters.receive(30_000);
            while (dead != null && !refused.eventId().toString().equals(dead.getStringProperty("JembatanEventId"))) {
                dead = deadLetters.receive(30_000); // an earlier test's leftovers refused by the same switch
            }
            assertThat(dead).as("dead letter in dlq.tax").isNotNull();
            assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo("AGENCY_REJECTED");
            assertThat(dead.getStringProperty("JembatanErrorReason")).contains("400");
            assertThat(JSON.readTree(((TextMessage) dead).getText())).isEqualTo(JSON.readTree(json(refused)));
        } finally {
            tax.setFailWith(0);
        }

        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(next)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> tax.taxpayer(next.citizen().nik()).isPresent());
        assertThat(tax.taxpayer(refused.citizen().nik())).isEmpty();
    }
}
