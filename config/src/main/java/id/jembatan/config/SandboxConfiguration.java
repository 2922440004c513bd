package id.jembatan.config;

import id.jembatan.connector.health.HealthSandbox;
import id.jembatan.connector.licensing.LicensingSandbox;
import id.jembatan.connector.tax.TaxSandbox;
import id.jembatan.settings.JembatanProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The demo agencies, in-process (on by default, off in production): a tax office HTTP server, a FHIR R4 server
 * for health and a reader of the licensing drop folder. They are real protocol servers on their own ports; the
 * bus reaches them through the same connectors and configuration as the real agencies.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jembatan.sandbox.enabled", havingValue = "true", matchIfMissing = true)
public class SandboxConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    TaxSandbox taxSandbox(JembatanProperties properties) {
        return new TaxSandbox(properties.getSandbox().getTaxPort());
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    HealthSandbox healthSandbox(JembatanProperties properties) {
        return new HealthSandbox(properties.getSandbox().getHealthPort());
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "jembatan.agencies.licensing.directory")
    LicensingSandbox licensingSandbox(JembatanProperties properties) {
        return new LicensingSandbox(properties.getAgencies().get("licensing").getDirectory(),
                Duration.ofMillis(250));
    }
}
