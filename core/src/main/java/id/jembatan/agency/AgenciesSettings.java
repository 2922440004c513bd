package id.jembatan.agency;

import jakarta.validation.Valid;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agencies as configured ({@code jembatan.agencies.<id>}), by id, in the order of the configuration. An agency
 * whose block has none of {@link AgencySettings}' settings (only those of a connector type) is not one.
 *
 * @param agencies each agency's common settings; the id ({@link #ID}) names its configuration keys, queues, MBean and
 *                 audit entries
 */
@ConfigurationProperties(prefix = "jembatan")
public record AgenciesSettings(Map<String, @Valid AgencySettings> agencies) {

    /**
     * What an agency id is: lower-case letters, digits and dashes, starting with a letter. Checked with the names of
     * every setting under {@code jembatan.agencies} ({@code ConfigurationCheck}).
     */
    public static final String ID = "[a-z][a-z0-9-]{1,39}";

    public AgenciesSettings {
        agencies = agencies == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(agencies));
    }
}
