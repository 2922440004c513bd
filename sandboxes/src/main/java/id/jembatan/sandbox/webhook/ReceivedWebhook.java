package id.jembatan.sandbox.webhook;

import java.nio.charset.StandardCharsets;

/**
 * One delivery a webhook sandbox accepted: which agency, the event id and type headers, the signature headers as
 * sent, the exact body, and the W3C {@code traceparent} the bus sent (null when tracing is off).
 */
public record ReceivedWebhook(String agency, String eventId, String eventType, String contentType, String timestamp,
                              String signature, byte[] body, String traceParent) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
