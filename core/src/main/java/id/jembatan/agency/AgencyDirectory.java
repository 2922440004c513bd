package id.jembatan.agency;

import id.jembatan.schema.model.EventType;
import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.settings.JembatanProperties;
import org.springframework.context.annotation.DependsOn;
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
 * {@code jembatan.agencies}; a misconfigured agency stops the start with a message naming the key (checked with
 * the rest of the configuration first, {@code ConfigurationCheck}).
 */
@Component
@DependsOn("configurationCheck")
public class AgencyDirectory {

    private record KeyDigest(byte[] digest, String agencyId) {
    }

    private final List<KeyDigest> keys = new ArrayList<>();
    private final Map<String, Set<EventType>> owned = new LinkedHashMap<>();

    public AgencyDirectory(JembatanProperties properties) {
        InvalidConfigurationException.throwIfAny(problems(properties));
        properties.getAgencies().forEach((id, agency) -> {
            for (String hex : agency.getApiKeys()) {
                keys.add(new KeyDigest(HexFormat.of().parseHex(hex.toLowerCase()), id));
            }
            Set<EventType> types = EnumSet.noneOf(EventType.class);
            agency.getOwns().forEach(name -> types.add(EventType.fromWireName(name).orElseThrow()));
            owned.put(id, types);
        });
    }

    /** What is wrong with the agencies' ids, key digests and owned event types, each problem naming its key. */
    public static List<String> problems(JembatanProperties properties) {
        List<String> problems = new ArrayList<>();
        properties.getAgencies().forEach((id, agency) -> {
            String key = "jembatan.agencies." + id;
            if (!id.matches("[a-z][a-z0-9-]{1,39}")) {
                problems.add(key + ": an agency id is lower-case letters, digits and dashes (like civil-registry)");
            }
            if (agency.getApiKeys().stream().anyMatch(hex -> hex == null || !hex.matches("[0-9a-fA-F]{64}"))) {
                problems.add(key + ".api-keys: each entry must be the SHA-256 hex digest (64 hex digits) of a key,"
                        + " never the key itself (printf %s \"$KEY\" | sha256sum)");
            }
            for (String name : agency.getOwns()) {
                if (EventType.fromWireName(name).isEmpty()) {
                    problems.add(key + ".owns: unknown event type '" + name + "' (event types: "
                            + EventType.wireNames() + ")");
                }
            }
        });
        return problems;
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

    public boolean ownsAny(String agencyId) {
        return !owned.getOrDefault(agencyId, Set.of()).isEmpty();
    }

    public boolean owns(String agencyId, EventType type) {
        return owned.getOrDefault(agencyId, Set.of()).contains(type);
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
