package id.jembatan.sandbox.webhook;

import java.nio.charset.StandardCharsets;

/**
 * One delivery a webhook sandbox accepted: which agency, the event id and type headers, the signature headers as
 * sent, the exact body.
 */
public record ReceivedWebhook(String agency, String eventId, String eventType, String contentType, String timestamp,
                              String signature, byte[] body) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
