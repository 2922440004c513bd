package id.jembatan.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * What an operator sets under {@code jembatan.operators}: the SHA-256 digests of the operators' API keys. Operators
 * check and steer the bus (audit verification); they are not agencies and exchange no citizen data.
 */
@ConfigurationProperties(prefix = "jembatan.operators")
public class OperatorProperties {

    /** SHA-256 hex digests of the operators' API keys; the keys themselves are never configured. */
    private List<String> apiKeys = List.of();

    public List<String> getApiKeys() {
        return apiKeys;
    }

    public void setApiKeys(List<String> apiKeys) {
        this.apiKeys = apiKeys;
    }
}
