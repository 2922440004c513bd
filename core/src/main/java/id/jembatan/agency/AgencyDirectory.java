package id.jembatan.agency;

import id.jembatan.schema.model.EventType;
import id.jembatan.settings.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured agencies: who they are (API key digests, keys being rotated out until their retirement, OAuth2
 * client ids) and which events they own. Built once at start-up from
 * {@code jembatan.agencies} ({@link AgenciesSettings}); a misconfigured agency stops the start with a message naming
 * the key (checked with the rest of the configuration first, {@code ConfigurationCheck}: the ids and digests by
 * Bean Validation, the owned event types here).
 */
@Component
@DependsOn("configurationCheck")
public class AgencyDirectory {

    private static final Logger log = LoggerFactory.getLogger(AgencyDirectory.class);
    /** What {@link #newSha256()} clones. */
    private static final MessageDigest SHA_256 = sha256Digest();

    /** A key's digest and its agency; {@code retireAt} null for a key that is not being rotated out. */
    private record AgencyKey(byte[] digest, String agencyId, Instant retireAt) {
    }

    private final List<AgencyKey> keys = new ArrayList<>();
    private final Map<String, Set<EventType>> owned = new LinkedHashMap<>();
    private final Map<String, String> clients = new LinkedHashMap<>();
    private final Map<String, String> certificates = new LinkedHashMap<>();
    private final Clock clock;

    public AgencyDirectory(AgenciesSettings settings) {
        this(settings, Clock.systemUTC());
    }

    @Autowired
    public AgencyDirectory(AgenciesSettings settings, Clock clock) {
        InvalidConfigurationException.throwIfAny(problems(settings));
        this.clock = clock;
        settings.agencies().forEach((id, agency) -> {
            for (String hex : agency.apiKeys()) {
                keys.add(new AgencyKey(HexFormat.of().parseHex(hex.toLowerCase()), id, null));
            }
            for (AgencySettings.RetiringKey retiring : agency.retiringApiKeys()) {
                Instant retireAt = retiring.retireAt().toInstant();
                keys.add(new AgencyKey(HexFormat.of().parseHex(retiring.digest().toLowerCase()), id, retireAt));
                if (!retireAt.isAfter(clock.instant())) {
                    log.warn("jembatan.agencies.{}.retiring-api-keys: a key retired at {} is refused; remove it",
                            id, retiring.retireAt());
                } else {
                    log.info("Agency {} has a key being rotated out, valid until {}", id, retiring.retireAt());
                }
            }
            Set<EventType> types = EnumSet.noneOf(EventType.class);
            agency.owns().forEach(name -> types.add(EventType.fromWireName(name).orElseThrow()));
            owned.put(id, types);
            agency.oauth2Clients().forEach(client -> clients.put(client, id));
            agency.clientCertificates().forEach(fingerprint -> certificates.put(fingerprint(fingerprint), id));
        });
    }

    /** What is wrong with the agencies' owned event types, each problem naming its key. */
    public static List<String> problems(AgenciesSettings settings) {
        List<String> problems = new ArrayList<>();
        Map<String, String> clientOwners = new LinkedHashMap<>();
        Map<String, String> certificateOwners = new LinkedHashMap<>();
        settings.agencies().forEach((id, agency) -> {
            for (AgencySettings.RetiringKey retiring : agency.retiringApiKeys()) {
                if (retiring != null && agency.apiKeys().stream().anyMatch(retiring.digest()::equalsIgnoreCase)) {
                    problems.add("jembatan.agencies." + id + ".retiring-api-keys: a digest is also in api-keys;"
                            + " a key being rotated out is only in retiring-api-keys");
                }
            }
            for (String certificate : agency.clientCertificates()) {
                String other = certificate == null ? null
                        : certificateOwners.putIfAbsent(fingerprint(certificate), id);
                if (other != null && !other.equals(id)) {
                    problems.add("jembatan.agencies." + id + ".client-certificates: a certificate already signs in"
                            + " as agency '" + other + "'; a certificate is one agency's");
                }
            }
            for (String client : agency.oauth2Clients()) {
                String other = clientOwners.putIfAbsent(client, id);
                if (other != null && !other.equals(id)) {
                    problems.add("jembatan.agencies." + id + ".oauth2-clients: client '" + client
                            + "' already signs in as agency '" + other + "'; a client is one agency's");
                }
            }
            for (String name : agency.owns()) {
                if (EventType.fromWireName(name).isEmpty()) {
                    problems.add("jembatan.agencies." + id + ".owns: unknown event type '" + name
                            + "' (event types: " + EventType.wireNames() + ")");
                }
            }
        });
        return problems;
    }

    /**
     * The agency a presented API key belongs to; a key being rotated out only until its retirement. Every configured
     * digest is compared in constant time, so the answer time does not tell how much of a key matched.
     */
    public Optional<String> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(apiKey);
        Instant now = clock.instant();
        String match = null;
        for (AgencyKey key : keys) {
            if (MessageDigest.isEqual(presented, key.digest()) && match == null
                    && (key.retireAt() == null || now.isBefore(key.retireAt()))) {
                match = key.agencyId();
            }
        }
        return Optional.ofNullable(match);
    }

    /** The agency an OAuth2 client of the configured issuer signs in as ({@code oauth2-clients}). */
    public Optional<String> agencyOfClient(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(clients.get(clientId));
    }

    /**
     * The agency a client certificate (the leaf a TLS client presented, its chain already verified by the TLS
     * connector) is registered for ({@code client-certificates}, by SHA-256 fingerprint).
     */
    public Optional<String> agencyOfCertificate(X509Certificate certificate) {
        try {
            String presented = HexFormat.of().formatHex(newSha256().digest(certificate.getEncoded()));
            return Optional.ofNullable(certificates.get(presented));
        } catch (CertificateEncodingException e) {
            return Optional.empty();
        }
    }

    /** A configured fingerprint in one form: lower-case hex, no colons. */
    private static String fingerprint(String configured) {
        return configured.replace(":", "").toLowerCase(Locale.ROOT);
    }

    public boolean ownsAny(String agencyId) {
        return !owned.getOrDefault(agencyId, Set.of()).isEmpty();
    }

    public boolean owns(String agencyId, EventType type) {
        return owned.getOrDefault(agencyId, Set.of()).contains(type);
    }

    /** SHA-256 of a key as configured in {@code api-keys}. */
    public static byte[] sha256(String value) {
        return newSha256().digest(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A fresh SHA-256 digest, cloned from one made at start: every request with a key hashes it, and
     * {@code MessageDigest.getInstance} searches the security providers each time (half the cost of the hash in the
     * lookups' profile, docs/performance.md).
     */
    private static MessageDigest newSha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return sha256Digest();
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }
}
