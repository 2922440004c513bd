package id.jembatan.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * Where the bus keeps its files ({@code jembatan.data-dir}).
 *
 * @param dataDir the broker journal, the embedded database and the file drops live below this folder
 */
@ConfigurationProperties(prefix = "jembatan")
public record DataDirSettings(@NotNull @DefaultValue("./data") Path dataDir) {
}
