package id.jembatan.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder of integrators' Camel YAML routes ({@code jembatan.routes-dir}): Camel loads its {@code *.yaml} at
 * start (application.yaml's {@code camel.main.routes-include-pattern}) and fails on a folder that does not exist, so
 * it is created empty here, before Camel collects its routes.
 */
@Configuration(proxyBeanMethods = false)
public class IntegratorRoutesConfiguration implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(IntegratorRoutesConfiguration.class);

    private final IntegratorRoutesSettings settings;

    public IntegratorRoutesConfiguration(IntegratorRoutesSettings settings) {
        this.settings = settings;
    }

    @Override
    public void afterPropertiesSet() {
        Path dir = settings.routesDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("jembatan.routes-dir: cannot create " + dir, e);
        }
        log.info("Integrators' YAML routes: {}/*.yaml{}", dir,
                settings.routesReload() ? ", reloaded when changed (development only)" : "");
    }
}
