package id.jembatan.operator;

import id.jembatan.agency.KeyDigest;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * What an operator sets under {@code jembatan.operators}. Operators check and steer the bus (audit verification,
 * pausing deliveries, dead letters); they are not agencies and exchange no citizen data.
 *
 * @param apiKeys SHA-256 hex digests of the operators' API keys; the keys themselves are never configured
 */
@ConfigurationProperties(prefix = "jembatan.operators")
public record OperatorSettings(List<@KeyDigest String> apiKeys) {

    public OperatorSettings {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }
}
