package id.jembatan.agency;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What every agency may set in its block {@code jembatan.agencies.<id>}. The settings of its connector type (its
 * {@code url}, {@code directory}, ...) are bound from the same block into that type's own record
 * ({@code ConnectorFactory.settingsType()}).
 *
 * @param apiKeys    SHA-256 hex digests of the agency's API keys; the keys themselves are never configured
 * @param oauth2Clients OAuth2 client ids of the configured issuer ({@code jembatan.oauth2.issuer-uri}) that sign in
 *                   as this agency: an access token whose {@code client_id} (or {@code azp}) is one of them is this
 *                   agency's; each client id belongs to one agency at most
 * @param owns       event types this agency is the owner of and may therefore send
 * @param subscribes event types delivered to this agency
 * @param connector  how events reach the agency: the type of a {@code ConnectorFactory} bean ({@code json-http},
 *                   {@code xml-http}, {@code fhir}, {@code csv-drop}, {@code jms}, ...); empty: not delivered
 * @param delivery   how the bus delivers to it: parallelism and retries
 * @param syncOnStart on the first start with this agency configured (no sync job of it ever ran), send it the current
 *                   record of every citizen (an initial load, as {@code POST .../syncs} with scope {@code all}), then
 *                   the live events: onboarding in one block of configuration
 * @param retiringApiKeys API keys being rotated out: each valid until its {@code retire-at}, refused from then on,
 *                   so that the agency's old and new key both work during a rotation ({@code api-keys} holds the
 *                   new one)
 * @param clientCertificates SHA-256 fingerprints of the client certificates that sign in as this agency over mutual
 *                   TLS (hex, with or without colons, as {@code openssl x509 -noout -fingerprint -sha256} prints
 *                   them); each certificate is one agency's
 */
public record AgencySettings(List<@KeyDigest String> apiKeys,
                             List<String> owns,
                             List<String> subscribes,
                             String connector,
                             @Valid @DefaultValue Delivery delivery,
                             List<@NotBlank String> oauth2Clients,
                             List<@Valid @NotNull RetiringKey> retiringApiKeys,
                             List<@NotNull @Pattern(regexp = FINGERPRINT, message = FINGERPRINT_MESSAGE) String>
                                     clientCertificates,
                             @DefaultValue("false") boolean syncOnStart) {

    /** A SHA-256 fingerprint: 32 bytes in hex, optionally separated by colons. */
    public static final String FINGERPRINT = "([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}";
    static final String FINGERPRINT_MESSAGE = ": each entry must be a certificate's SHA-256 fingerprint"
            + " (openssl x509 -noout -fingerprint -sha256 -in agency.crt)";

    @ConstructorBinding
    public AgencySettings {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        oauth2Clients = oauth2Clients == null ? List.of() : List.copyOf(oauth2Clients);
        owns = owns == null ? List.of() : List.copyOf(owns);
        subscribes = subscribes == null ? List.of() : List.copyOf(subscribes);
        retiringApiKeys = retiringApiKeys == null ? List.of() : List.copyOf(retiringApiKeys);
        clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
    }

    /**
     * An API key being rotated out ({@code jembatan.agencies.<id>.retiring-api-keys[]}).
     *
     * @param digest   the SHA-256 hex digest of the old key
     * @param retireAt from this instant on the key is refused (ISO 8601 with an offset,
     *                 {@code 2026-12-31T00:00:00+07:00})
     */
    public record RetiringKey(@KeyDigest String digest, @NotNull OffsetDateTime retireAt) {
    }

    /**
     * How the bus delivers to one agency, whatever its connector type ({@code jembatan.agencies.<id>.delivery}).
     *
     * @param consumers              parallel consumers of the agency's queue; message groups keep each citizen's
     *                               events in order. Each one mostly waits (for the agency's answer, the audit commit,
     *                               the broker's commit), so more than the cores
     * @param batchSize              most events taken in one broker transaction and handed to the agency together
     *                               (one request where its protocol has a batch form); 1: one by one
     * @param linger                 how long a batch waits for more events after its first (what is already waiting
     *                               is taken at once): a single event is delayed by at most this
     * @param maximumRedeliveries    attempts after the first for an event the agency refuses, before it goes to the
     *                               dead-letter queue
     * @param redeliveryDelay        first wait before a retry; doubles each time up to {@code maximumRedeliveryDelay}
     * @param maximumRedeliveryDelay the longest wait between two attempts
     */
    public record Delivery(@Min(1) @DefaultValue("4") int consumers,
                           @Min(1) @DefaultValue("100") int batchSize,
                           @NotNull @DefaultValue("20ms") Duration linger,
                           @Min(0) @DefaultValue("4") int maximumRedeliveries,
                           @NotNull @DefaultValue("1s") Duration redeliveryDelay,
                           @NotNull @DefaultValue("30s") Duration maximumRedeliveryDelay) {
    }
}
