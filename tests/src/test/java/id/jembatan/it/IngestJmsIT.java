package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The civil registry's inbound queue {@code civilregistry.events.in}: the same validation as HTTP ingest. */
class IngestJmsIT extends BusTestSupport {

    private final CitizenFixtures fixtures = new CitizenFixtures();

    /**
     * The civil registry sends a birth as a JMS text message over TCP. Result: it is applied and published on
     * {@code citizen.events} with the NIK as message group, exactly as over HTTP.
     */
    @Test
    void eventFromTheQueueTakesTheSamePath() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        BirthRegistered birth = fixtures.birth();

        sendToInbound(json(birth));

        Message published = receiveEvent(subscriber, birth.eventId().toString());
        assertThat(published.getStringProperty("JMSXGroupID")).isEqualTo(birth.citizen().nik());
        assertThat(JSON.readTree(((TextMessage) published).getText())).isEqualTo(JSON.readTree(json(birth)));
        assertThat(get("/api/v1/citizens/" + birth.citizen().nik() + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY).statusCode()).isEqualTo(200);
    }

    /**
     * A poison message (not JSON), then a birth with an impossible NIK date, then a valid birth as a bytes message.
     * Result: the first two land in {@code dlq.civil-registry} unchanged, with their error codes and reasons in
     * headers; the valid one behind them still flows through.
     */
    @Test
    void poisonMessagesAreDeadLetteredAndTheQueueKeepsFlowing() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        Session session = session(false);
        MessageConsumer deadLetters = session.createConsumer(session.createQueue("dlq.civil-registry"));
        BirthRegistered invalid = fixtures.birth();
        String badNik = invalid.citizen().nik().substring(0, 6) + "320190" + invalid.citizen().nik().substring(12);
        String invalidBody = json(invalid).replace(invalid.citizen().nik(), badNik);
        BirthRegistered valid = fixtures.birth();

        sendToInbound("this is not an event");
        sendToInbound(invalidBody);
        MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(json(valid).getBytes(StandardCharsets.UTF_8));
        producer.send(bytes);

        assertThat(receiveEvent(subscriber, valid.eventId().toString())).isNotNull();
        // Two consumers work the queue in parallel, so the dead letters may arrive in either order.
        Map<String, Message> byCode = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Message dead = deadLetters.receive(20_000);
            assertThat(dead).as("dead letter " + (i + 1)).isNotNull();
            byCode.put(dead.getStringProperty("JembatanErrorCode"), dead);
        }
        assertThat(byCode).containsOnlyKeys("MALFORMED_JSON", "NIK_INVALID_DATE");
        assertThat(body(byCode.get("MALFORMED_JSON"))).isEqualTo("this is not an event");
        Message invalidNik = byCode.get("NIK_INVALID_DATE");
        assertThat(invalidNik.getStringProperty("JembatanErrorReason")).isNotBlank();
        JsonNode details = JSON.readTree(invalidNik.getStringProperty("JembatanErrorDetails"));
        assertThat(details.findValuesAsText("pointer")).contains("/citizen/nik");
        assertThat(body(invalidNik)).isEqualTo(invalidBody);
        assertThat(get("/api/v1/citizens/" + badNik + "?purpose=REGISTRY_ADMINISTRATION", CIVIL_REGISTRY_KEY).statusCode()).isEqualTo(400);
    }

    /** The same event arrives twice on the queue. Result: applied and published once; the repeat is acknowledged. */
    @Test
    void repeatedEventOnTheQueueIsPublishedOnce() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        BirthRegistered birth = fixtures.birth();
        BirthRegistered marker = fixtures.birth();

        sendToInbound(json(birth));
        sendToInbound(json(birth));
        sendToInbound(json(marker));

        int copies = 0;
        boolean markerSeen = false;
        while (!markerSeen) {
            Message m = subscriber.receive(20_000);
            assertThat(m).isNotNull();
            String id = m.getStringProperty("JembatanEventId");
            copies += birth.eventId().toString().equals(id) ? 1 : 0;
            markerSeen = marker.eventId().toString().equals(id);
        }
        assertThat(copies).isEqualTo(1);
        Session session = session(false);
        MessageConsumer deadLetters = session.createConsumer(session.createQueue("dlq.civil-registry"));
        Message dead = deadLetters.receive(500);
        assertThat(dead == null ? null : body(dead)).isNotEqualTo(json(birth));
    }

    private void sendToInbound(String text) throws JMSException {
        Session session = session(false);
        MessageProducer producer = session.createProducer(session.createQueue("civilregistry.events.in"));
        producer.send(session.createTextMessage(text));
    }

    private static String body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        BytesMessage bytes = (BytesMessage) message;
        byte[] data = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(data);
        return new String(data, StandardCharsets.UTF_8);
    }
}
