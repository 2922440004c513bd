package id.jembatan.operator;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.agency.AgencySettings;
import id.jembatan.settings.InvalidConfigurationException;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operators' API keys ({@code jembatan.operators}, SHA-256 digests): a presented key is matched here to the
 * operator it belongs to, a named operator ({@code named.<name>.api-keys}) or the shared {@value #PRINCIPAL}
 * ({@code api-keys}). Built once at start-up; a malformed digest ({@link OperatorSettings}' constraint), a digest of
 * two operators, or one that is also an agency's key, stops the start with a message naming the key (checked with
 * the rest of the configuration first, {@code ConfigurationCheck}).
 */
@Component
@DependsOn("configurationCheck")
public class OperatorDirectory {

    /** The name of whoever signs in with a shared operator key ({@code jembatan.operators.api-keys}). */
    public static final String PRINCIPAL = "operator";

    private record OperatorKey(byte[] digest, String name) {
    }

    private final List<OperatorKey> keys = new ArrayList<>();

    public OperatorDirectory(OperatorSettings operators, AgenciesSettings agencies) {
        InvalidConfigurationException.throwIfAny(problems(operators, agencies));
        digests(operators).forEach((hex, name) -> keys.add(new OperatorKey(HexFormat.of().parseHex(hex), name)));
    }

    /** What is wrong with the operators' key digests beside the agencies', each problem naming its key. */
    public static List<String> problems(OperatorSettings operators, AgenciesSettings agencies) {
        List<String> problems = new ArrayList<>();
        Map<String, String> owners = new LinkedHashMap<>();
        operators.named().forEach((name, named) -> named.apiKeys().stream().filter(Objects::nonNull)
                .map(hex -> hex.toLowerCase(Locale.ROOT)).forEach(hex -> {
                    String other = owners.putIfAbsent(hex, name);
                    if (other != null && !other.equals(name)) {
                        problems.add("jembatan.operators.named." + name + ".api-keys: a digest is also operator '"
                                + other + "''s; each key is one operator's");
                    }
                }));
        for (String hex : operators.apiKeys()) {
            if (hex != null && owners.containsKey(hex.toLowerCase(Locale.ROOT))) {
                problems.add("jembatan.operators.api-keys: a digest is also named operator '"
                        + owners.get(hex.toLowerCase(Locale.ROOT)) + "''s; each key is one operator's");
            }
        }
        operators.named().keySet().stream().filter(agencies.agencies()::containsKey).forEach(name -> problems.add(
                "jembatan.operators.named." + name + ": an operator's name must not be an agency id (both sign in"
                        + " to the broker by name)"));
        // One key, one role: a key that opened both agency and operator endpoints would make an agency an operator
        // (or the reverse) by configuration slip.
        Map<String, List<String>> operatorKeys = new LinkedHashMap<>();
        operatorKeys.put("jembatan.operators.api-keys", operators.apiKeys());
        operators.named().forEach((name, named) ->
                operatorKeys.put("jembatan.operators.named." + name + ".api-keys", named.apiKeys()));
        agencies.agencies().forEach((id, agency) -> {
            List<String> agencyKeys = new ArrayList<>(agency.apiKeys());
            agency.retiringApiKeys().stream().filter(Objects::nonNull).map(AgencySettings.RetiringKey::digest)
                    .filter(Objects::nonNull).forEach(agencyKeys::add);
            operatorKeys.forEach((key, digests) -> {
                if (digests.stream().filter(Objects::nonNull)
                        .anyMatch(hex -> agencyKeys.stream().anyMatch(hex::equalsIgnoreCase))) {
                    problems.add(key + ": a digest is also configured in jembatan.agencies." + id
                            + ".api-keys; an operator key must not be an agency key");
                }
            });
        });
        return problems;
    }

    /**
     * The name of the operator whose key this is: a named operator's name, or {@link #PRINCIPAL} for a shared key.
     * Every configured digest is compared in constant time, so the answer time does not tell how much of a key
     * matched.
     */
    public Optional<String> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = AgencyDirectory.sha256(apiKey);
        String match = null;
        for (OperatorKey key : keys) {
            if (MessageDigest.isEqual(presented, key.digest()) && match == null) {
                match = key.name();
            }
        }
        return Optional.ofNullable(match);
    }

    /** Every digest (lower case) with the name it signs in as. */
    private static Map<String, String> digests(OperatorSettings operators) {
        Map<String, String> digests = new LinkedHashMap<>();
        operators.apiKeys().forEach(hex -> digests.put(hex.toLowerCase(Locale.ROOT), PRINCIPAL));
        operators.named().forEach((name, named) -> named.apiKeys()
                .forEach(hex -> digests.put(hex.toLowerCase(Locale.ROOT), name)));
        return digests;
    }
}
