package id.jembatan.config;

import id.jembatan.bus.BusConnections;
import id.jembatan.connector.civilregistry.CivilRegistrySandbox;
import id.jembatan.connector.health.HealthSandbox;
import id.jembatan.connector.licensing.LicensingSandbox;
import id.jembatan.connector.tax.TaxSandbox;
import id.jembatan.connector.webhook.WebhookSandbox;
import id.jembatan.delivery.JsonHttpConnectorFactory;
import id.jembatan.settings.JembatanProperties;
import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo agencies, in-process (on by default, off in production): a tax office HTTP server, a FHIR R4 server
 * for health, a reader of the licensing drop folder, a webhook receiver for {@code json-http} agencies (bansos),
 * and the civil registry's notification inbox (a consumer of its queue with an HTTP view). They are real protocol
 * servers on their own ports; the bus reaches them through the same connectors and configuration as the real
 * agencies.
 */
@Configuration(proxyBeanMethods = false)
@DependsOn(ConfigurationCheck.BEAN_NAME)
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

    /** The registry's inbox consumes from the bus's broker on a connection of its own (not the pooled factory). */
    @Bean(initMethod = "start", destroyMethod = "stop")
    CivilRegistrySandbox civilRegistrySandbox(JembatanProperties properties,
                                              @Qualifier(BusConnections.DEDICATED) ConnectionFactory broker) {
        return new CivilRegistrySandbox(broker, properties.getNotifications().getQueue(),
                properties.getSandbox().getCivilRegistryPort());
    }

    /**
     * One webhook receiver for every {@code json-http} agency whose URL points at it
     * ({@code http://127.0.0.1:<webhook-port>/<agency>/events}), checking each with that agency's secret.
     */
    @Bean(initMethod = "start", destroyMethod = "stop")
    WebhookSandbox webhookSandbox(JembatanProperties properties, Clock clock) {
        Map<String, String> secrets = new TreeMap<>();
        properties.getAgencies().forEach((id, agency) -> {
            if (JsonHttpConnectorFactory.TYPE.equals(agency.getConnector()) && agency.getSigningSecret() != null) {
                secrets.put(id, agency.getSigningSecret());
            }
        });
        return new WebhookSandbox(properties.getSandbox().getWebhookPort(), secrets, clock);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "jembatan.agencies.licensing.directory")
    LicensingSandbox licensingSandbox(JembatanProperties properties) {
        return new LicensingSandbox(properties.getAgencies().get("licensing").getDirectory(),
                Duration.ofMillis(250));
    }
}
