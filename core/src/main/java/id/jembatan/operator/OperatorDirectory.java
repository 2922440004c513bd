package id.jembatan.operator;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.settings.JembatanProperties;
import id.jembatan.settings.OperatorProperties;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The operators' API keys ({@code jembatan.operators.api-keys}, SHA-256 digests): a presented key is matched here
 * to the operator role. Built once at start-up; a malformed digest, or one that is also an agency's key, stops the
 * start with a message naming the key (checked with the rest of the configuration first, {@code ConfigurationCheck}).
 */
@Component
@DependsOn("configurationCheck")
public class OperatorDirectory {

    /** The principal of every authenticated operator; the keys do not name individual people. */
    public static final String PRINCIPAL = "operator";

    private final List<byte[]> digests = new ArrayList<>();

    public OperatorDirectory(OperatorProperties operators, JembatanProperties properties) {
        InvalidConfigurationException.throwIfAny(problems(operators, properties));
        for (String hex : operators.getApiKeys()) {
            digests.add(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
        }
    }

    /** What is wrong with the operators' key digests, each problem naming its key. */
    public static List<String> problems(OperatorProperties operators, JembatanProperties properties) {
        List<String> problems = new ArrayList<>();
        if (operators.getApiKeys().stream().anyMatch(hex -> hex == null || !hex.matches("[0-9a-fA-F]{64}"))) {
            problems.add("jembatan.operators.api-keys: each entry must be the SHA-256 hex digest (64 hex digits) of"
                    + " a key, never the key itself (printf %s \"$KEY\" | sha256sum)");
        }
        // One key, one role: a key that opened both agency and operator endpoints would make an agency an operator
        // (or the reverse) by configuration slip.
        properties.getAgencies().forEach((id, agency) -> {
            if (operators.getApiKeys().stream().filter(Objects::nonNull)
                    .anyMatch(hex -> agency.getApiKeys().stream().anyMatch(hex::equalsIgnoreCase))) {
                problems.add("jembatan.operators.api-keys: a digest is also configured in jembatan.agencies." + id
                        + ".api-keys; an operator key must not be an agency key");
            }
        });
        return problems;
    }

    /**
     * {@link #PRINCIPAL} when the presented key is an operator's. Every configured digest is compared in constant
     * time, so the answer time does not tell how much of a key matched.
     */
    public Optional<String> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = AgencyDirectory.sha256(apiKey);
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(presented, digest);
        }
        return match ? Optional.of(PRINCIPAL) : Optional.empty();
    }
}
