package id.jembatan.operator;

import id.jembatan.agency.KeyDigest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an operator sets under {@code jembatan.operators}. Operators check and steer the bus (audit verification,
 * pausing deliveries, dead letters, suspensions); they are not agencies and exchange no citizen data. Each operator
 * action is recorded under the name the operator signed in with.
 *
 * @param apiKeys SHA-256 hex digests of shared operator keys: whoever holds one signs in as {@code operator}
 * @param named   operators by name ({@code jembatan.operators.named.<name>.api-keys}): each signs in as that name,
 *                so the audit chain says which person acted
 */
@ConfigurationProperties(prefix = "jembatan.operators")
public record OperatorSettings(List<@KeyDigest String> apiKeys,
                               Map<@Pattern(regexp = NAME, message = NAME_MESSAGE) String, @Valid Named> named) {

    /** What an operator's name is: it appears in audit entries and logs. */
    public static final String NAME = "[a-z][a-z0-9._-]{1,63}";
    static final String NAME_MESSAGE = "an operator's name is lower-case letters, digits, dots, dashes and"
            + " underscores, starting with a letter (like ayu.lestari)";

    @ConstructorBinding
    public OperatorSettings {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        named = named == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(named));
    }

    /** Only shared keys, no named operator. */
    public OperatorSettings(List<String> apiKeys) {
        this(apiKeys, Map.of());
    }

    /**
     * One named operator.
     *
     * @param apiKeys SHA-256 hex digests of that operator's keys
     */
    public record Named(@NotEmpty List<@KeyDigest String> apiKeys) {

        public Named {
            apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        }
    }
}
