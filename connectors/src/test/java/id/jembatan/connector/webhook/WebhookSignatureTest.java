package id.jembatan.connector.webhook;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignatureTest {

    private static final String SECRET = "a-test-secret-of-at-least-32-bytes!";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private final WebhookSignature signature = new WebhookSignature(SECRET);
    private final byte[] body = "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    private final Instant now = Instant.parse("2026-11-20T01:15:00Z");

    /** The signature is plain HMAC-SHA256 over {@code <timestamp>.<body>}, as any HMAC library computes it. */
    @Test
    void signsTimestampDotBodyAsHex() {
        assertThat(signature.sign(1_700_000_000L, body))
                .isEqualTo("v1=" + hmacOf("1700000000.{\"eventId\":\"x\"}"));
    }

    /**
     * The test vector of docs/adding-an-agency.md, for agencies that implement the check in another language.
     * Result: the bus signs exactly what the page says, and the page's table and Python snippet say the same.
     */
    @Test
    void theDocumentedTestVectorIsWhatTheBusSigns() throws IOException {
        String vectorSecret = "test-vector-secret-of-at-least-32-bytes";
        long timestamp = 1_795_143_910L;
        String vectorBody = "{\"type\":\"DeathRegistered\",\"eventId\":\"7c9e6679-7425-40de-944b-e07fc1f90ae7\","
                + "\"occurredAt\":\"2026-11-20T10:05:00+07:00\",\"nik\":\"3171014508990001\","
                + "\"dateOfDeath\":\"2026-11-19\"}";
        String header = "v1=e61d5b6a3f6b490d1adfe644ad695c3f06ca7c01703d308a6f3bf7c4ab768914";

        assertThat(new WebhookSignature(vectorSecret).sign(timestamp, vectorBody.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(header);

        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        assertThat(tableValue(guide, "secret")).isEqualTo(vectorSecret);
        assertThat(tableValue(guide, "`X-Jembatan-Timestamp`")).isEqualTo(Long.toString(timestamp));
        assertThat(tableValue(guide, "body (these exact bytes, UTF-8, no final newline)")).isEqualTo(vectorBody);
        assertThat(tableValue(guide, "`X-Jembatan-Signature`")).isEqualTo(header);
        assertThat(guide).contains("secret = b\"" + vectorSecret + "\"", "timestamp = \"" + timestamp + "\"",
                "body = b'" + vectorBody + "'", "header = \"" + header + "\"",
                "SECRET='" + vectorSecret + "' TS=" + timestamp, "BODY='" + vectorBody + "'");
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

    /** The guide for integrators, from this module's folder (tests run there). */
    private static final Path GUIDE = Path.of("..", "docs", "adding-an-agency.md");

    /** The value in backticks of the table row {@code | name | `value` |}. */
    private static String tableValue(String markdown, String name) {
        Matcher row = Pattern.compile("^\\| " + Pattern.quote(name) + " \\| `([^`]*)` \\|$", Pattern.MULTILINE)
                .matcher(markdown);
        assertThat(row.find()).as("table row '%s' in %s", name, GUIDE).isTrue();
        return row.group(1);
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
