package id.jembatan.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * Integrators' Camel YAML DSL routes ({@code jembatan.routes-dir}, {@code jembatan.routes-reload}).
 *
 * @param routesDir    the folder of the route files ({@code *.yaml}), loaded at start
 *                     ({@code camel.main.routes-include-pattern}); created empty when missing
 * @param routesReload reload a route file when it changes: for developing routes only, as Camel advises; off in
 *                     production
 */
@ConfigurationProperties(prefix = "jembatan")
public record IntegratorRoutesSettings(@NotNull @DefaultValue("./data/routes") Path routesDir,
                                       boolean routesReload) {
}
