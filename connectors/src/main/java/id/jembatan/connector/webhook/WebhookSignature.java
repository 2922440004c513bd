package id.jembatan.connector.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The signature a {@code json-http} agency checks to know a delivery came from the bus, unchanged and recently:
 * HMAC-SHA256 with the agency's secret over {@code <timestamp>.<body bytes>}, where the timestamp is the Unix time
 * in seconds sent in {@value #TIMESTAMP_HEADER}. The signature travels as {@code v1=<lower-case hex>} in
 * {@value #SIGNATURE_HEADER}. The receiver recomputes it over the exact bytes it received (before any JSON
 * parsing), compares in constant time and refuses a timestamp further than its tolerance from its clock, so a
 * captured request cannot be replayed later. Thread-safe.
 */
public final class WebhookSignature {

    public static final String SIGNATURE_HEADER = "X-Jembatan-Signature";
    public static final String TIMESTAMP_HEADER = "X-Jembatan-Timestamp";
    /** The scheme prefix: a later algorithm gets another one and receivers can accept both while migrating. */
    public static final String SCHEME = "v1=";
    private static final String ALGORITHM = "HmacSHA256";
    /** Shorter secrets are refused at start-up: 32 bytes is the HMAC-SHA256 block-size guidance's minimum. */
    public static final int MIN_SECRET_BYTES = 32;

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        Objects.requireNonNull(secret, "secret");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("a signing secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The {@value #SIGNATURE_HEADER} value for this body sent at {@code timestamp}. */
    public String sign(long timestamp, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(mac(timestamp, body));
    }

    /**
     * Whether a request is genuine: the signature matches the exact body and timestamp, and the timestamp is within
     * {@code tolerance} of {@code now}.
     */
    public boolean verify(String signatureHeader, String timestampHeader, byte[] body, Instant now,
                          Duration tolerance) {
        if (signatureHeader == null || timestampHeader == null || !signatureHeader.startsWith(SCHEME)) {
            return false;
        }
        long timestamp;
        byte[] presented;
        try {
            timestamp = Long.parseLong(timestampHeader.strip());
            presented = HexFormat.of().parseHex(signatureHeader.substring(SCHEME.length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(presented, mac(timestamp, body));
    }

    private byte[] mac(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
