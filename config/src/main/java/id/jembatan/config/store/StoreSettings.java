package id.jembatan.config.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Where the bus keeps its database ({@code jembatan.store.*}).
 *
 * @param embedded       true (the default): the bus runs its own PostgreSQL under {@code jembatan.data-dir}; false:
 *                       it uses {@code spring.datasource.*} (the production profile: a PostgreSQL server of yours)
 * @param port           the embedded server's loopback port; 0 (the default) for any free one, chosen at each start
 * @param serverSettings PostgreSQL settings for the embedded server ({@code shared_buffers: 256MB}, ...); settings
 *                       that would acknowledge a commit before it is on disk are refused at start
 * @param startupTimeout how long the embedded server may take to start (a first start also creates the cluster)
 */
@ConfigurationProperties(prefix = "jembatan.store")
public record StoreSettings(@DefaultValue("true") boolean embedded,
                            @DefaultValue("0") int port,
                            Map<String, String> serverSettings,
                            @DefaultValue("60s") Duration startupTimeout) {

    public StoreSettings {
        serverSettings = serverSettings == null ? Map.of() : Map.copyOf(serverSettings);
    }
}
