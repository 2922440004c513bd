package id.jembatan.agency;

import id.jembatan.schema.model.EventType;
import id.jembatan.settings.JembatanProperties;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured agencies: who they are (API key digests) and which events they own. Built once at start-up from
 * {@code jembatan.agencies}; a misconfigured agency stops the start with a message naming the key.
 */
@Component
public class AgencyDirectory {

    /** The agency ids of the v1 contract's examples; others may be configured. */
    public static final String CIVIL_REGISTRY = "civil-registry";

    private record KeyDigest(byte[] digest, String agencyId) {
    }

    private final List<KeyDigest> keys = new ArrayList<>();
    private final Map<String, Set<EventType>> owned = new LinkedHashMap<>();

    public AgencyDirectory(JembatanProperties properties) {
        properties.getAgencies().forEach((id, agency) -> {
            if (!id.matches("[a-z][a-z0-9-]{1,39}")) {
                throw new IllegalStateException("jembatan.agencies." + id
                        + ": an agency id is lower-case letters, digits and dashes (like civil-registry)");
            }
            for (String hex : agency.getApiKeys()) {
                if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalStateException("jembatan.agencies." + id
                            + ".api-keys: each entry must be the SHA-256 hex digest (64 hex digits) of a key");
                }
                keys.add(new KeyDigest(HexFormat.of().parseHex(hex.toLowerCase()), id));
            }
            Set<EventType> types = EnumSet.noneOf(EventType.class);
            for (String name : agency.getOwns()) {
                types.add(EventType.fromWireName(name).orElseThrow(() -> new IllegalStateException(
                        "jembatan.agencies." + id + ".owns: unknown event type '" + name + "'")));
            }
            owned.put(id, types);
        });
    }

    /**
     * The agency a presented API key belongs to. Every configured digest is compared in constant time, so the
     * answer time does not tell how much of a key matched.
     */
    public Optional<String> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(apiKey);
        String match = null;
        for (KeyDigest key : keys) {
            if (MessageDigest.isEqual(presented, key.digest()) && match == null) {
                match = key.agencyId();
            }
        }
        return Optional.ofNullable(match);
    }

    public boolean isKnown(String agencyId) {
        return owned.containsKey(agencyId);
    }

    public boolean ownsAny(String agencyId) {
        return !owned.getOrDefault(agencyId, Set.of()).isEmpty();
    }

    public boolean owns(String agencyId, EventType type) {
        return owned.getOrDefault(agencyId, Set.of()).contains(type);
    }

    public Set<String> agencyIds() {
        return owned.keySet();
    }

    /** SHA-256 of a key as configured in {@code api-keys}. */
    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }
}
