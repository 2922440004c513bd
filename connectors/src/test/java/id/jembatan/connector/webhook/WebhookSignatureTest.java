package id.jembatan.connector.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignatureTest {

    private static final String SECRET = "a-test-secret-of-at-least-32-bytes!";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private final WebhookSignature signature = new WebhookSignature(SECRET);
    private final byte[] body = "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    private final Instant now = Instant.parse("2026-11-20T01:15:00Z");

    /** A known HMAC-SHA256 value, so that agencies in other languages can check their implementation. */
    @Test
    void signsTimestampDotBodyAsHex() {
        assertThat(signature.sign(1_700_000_000L, body))
                .isEqualTo("v1=" + hmacOf("1700000000.{\"eventId\":\"x\"}"));
    }

    @Test
    void acceptsTheExactBodyWithinTheWindow() {
        long ts = now.getEpochSecond() - 60;
        assertThat(signature.verify(signature.sign(ts, body), Long.toString(ts), body, now, TOLERANCE)).isTrue();
    }

    @Test
    void refusesAChangedBodyAnotherSecretAnOldTimestampOrGarbage() {
        long ts = now.getEpochSecond();
        String good = signature.sign(ts, body);
        byte[] changed = "{\"eventId\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(good, Long.toString(ts), changed, now, TOLERANCE)).isFalse();
        assertThat(new WebhookSignature(SECRET + "x").verify(good, Long.toString(ts), body, now, TOLERANCE))
                .isFalse();
        long old = ts - 301;
        assertThat(signature.verify(signature.sign(old, body), Long.toString(old), body, now, TOLERANCE)).isFalse();
        // The timestamp is signed: moving it forward breaks the signature.
        assertThat(signature.verify(good, Long.toString(ts + 1), body, now, TOLERANCE)).isFalse();
        assertThat(signature.verify("v1=zz", Long.toString(ts), body, now, TOLERANCE)).isFalse();
        assertThat(signature.verify(good.substring(3), Long.toString(ts), body, now, TOLERANCE)).isFalse();
        assertThat(signature.verify(good, "yesterday", body, now, TOLERANCE)).isFalse();
        assertThat(signature.verify(null, null, body, now, TOLERANCE)).isFalse();
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> new WebhookSignature("short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    private static String hmacOf(String text) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
