package id.jembatan.operator;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.settings.InvalidConfigurationException;
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
 * to the operator role. Built once at start-up; a malformed digest ({@link OperatorSettings}' constraint), or one that
 * is also an agency's key, stops the start with a message naming the key (checked with the rest of the configuration
 * first, {@code ConfigurationCheck}).
 */
@Component
@DependsOn("configurationCheck")
public class OperatorDirectory {

    /** The principal of every authenticated operator; the keys do not name individual people. */
    public static final String PRINCIPAL = "operator";

    private final List<byte[]> digests = new ArrayList<>();

    public OperatorDirectory(OperatorSettings operators, AgenciesSettings agencies) {
        InvalidConfigurationException.throwIfAny(problems(operators, agencies));
        for (String hex : operators.apiKeys()) {
            digests.add(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
        }
    }

    /** What is wrong with the operators' key digests beside the agencies', each problem naming its key. */
    public static List<String> problems(OperatorSettings operators, AgenciesSettings agencies) {
        List<String> problems = new ArrayList<>();
        // One key, one role: a key that opened both agency and operator endpoints would make an agency an operator
        // (or the reverse) by configuration slip.
        agencies.agencies().forEach((id, agency) -> {
            if (operators.apiKeys().stream().filter(Objects::nonNull)
                    .anyMatch(hex -> agency.apiKeys().stream().anyMatch(hex::equalsIgnoreCase))) {
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
