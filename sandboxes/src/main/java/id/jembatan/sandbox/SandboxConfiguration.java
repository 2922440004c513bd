package id.jembatan.sandbox;

import id.jembatan.api.token.OAuth2Settings;
import id.jembatan.bus.BusConnections;
import id.jembatan.complaint.ComplaintSettings;
import id.jembatan.config.ConfigurationCheck;
import id.jembatan.connector.webhook.JsonHttpConnectorFactory;
import id.jembatan.connector.webhook.JsonHttpSettings;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.notification.NotificationSettings;
import id.jembatan.sandbox.civilregistry.CivilRegistrySandbox;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.sandbox.oauth.DemoAuthorizationServer;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.sandbox.webhook.WebhookSandbox;
import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo agencies, in-process (on by default, off in production): a tax office HTTP server, a FHIR R4 server
 * for health, a reader of the licensing drop folder, a webhook receiver for {@code json-http} agencies (bansos),
 * the civil registry's notification inbox (a consumer of its queue with an HTTP view), and an OAuth2 authorization
 * server that issues agencies' access tokens. They are real protocol
 * servers on their own ports; the bus reaches them through the same connectors and configuration as the real
 * agencies. An auto-configuration of this module (the demo jar), never part of the production jar. The agencies the
 * bus sends to (tax, health, webhooks) back off when one is there already: the test kit starts them itself on ports
 * it lets the system choose, before the bus, whose agency URLs must name those ports.
 */
@AutoConfiguration
@EnableConfigurationProperties(SandboxSettings.class)
@DependsOn(ConfigurationCheck.BEAN_NAME)
@ConditionalOnProperty(name = "jembatan.sandbox.enabled", havingValue = "true", matchIfMissing = true)
public class SandboxConfiguration {

    /** The demo agencies' servers start side by side, beside the bus's context, and are waited for before it opens. */
    @Bean
    SandboxStarts sandboxStarts() {
        return new SandboxStarts();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    TaxSandbox taxSandbox(SandboxSettings sandbox, SandboxStarts starts) {
        int port = sandbox.taxPort();
        return starts.begin(new TaxSandbox(port), TaxSandbox::start, TaxSandbox::stop, "jembatan.sandbox.tax-port",
                port);
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    HealthSandbox healthSandbox(SandboxSettings sandbox, SandboxStarts starts) {
        int port = sandbox.healthPort();
        return starts.begin(new HealthSandbox(port), HealthSandbox::start, HealthSandbox::stop,
                "jembatan.sandbox.health-port", port);
    }

    /** The registry's inbox consumes from the bus's broker on a connection of its own (not the pooled factory). */
    @Bean(destroyMethod = "")
    CivilRegistrySandbox civilRegistrySandbox(SandboxSettings sandbox, NotificationSettings notifications,
                                              @Qualifier(BusConnections.DEDICATED) ConnectionFactory broker,
                                              SandboxStarts starts) {
        int port = sandbox.civilRegistryPort();
        return starts.begin(new CivilRegistrySandbox(broker, notifications.queue(), port),
                CivilRegistrySandbox::start, CivilRegistrySandbox::stop, "jembatan.sandbox.civil-registry-port",
                port);
    }

    /**
     * One webhook receiver for every {@code json-http} agency and every receiver of complaints whose URL points at it
     * ({@code http://127.0.0.1:<webhook-port>/<agency>/events}), checking each with that agency's secret.
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    WebhookSandbox webhookSandbox(SandboxSettings sandbox, Subscriptions subscriptions, ComplaintSettings complaints,
                                  Clock clock, SandboxStarts starts) {
        Map<String, String> secrets = new TreeMap<>();
        subscriptions.all().stream().filter(s -> JsonHttpConnectorFactory.TYPE.equals(s.connector())).forEach(s ->
                secrets.put(s.agencyId(), s.connectorSettings(JsonHttpSettings.class).signingSecret()));
        // Agencies that receive only complaints (the ombudsman) are webhook agencies too.
        complaints.receivers().forEach((agency, receiver) -> secrets.putIfAbsent(agency, receiver.signingSecret()));
        int port = sandbox.webhookPort();
        return starts.begin(new WebhookSandbox(port, secrets, clock), WebhookSandbox::start, WebhookSandbox::stop,
                "jembatan.sandbox.webhook-port", port);
    }

    /**
     * The issuer of agencies' access tokens (client credentials), for the bus's audience. The bus asks it for its
     * keys only when the first token arrives, so it may start in any order with the bus.
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "jembatan.oauth2.issuer-uri")
    DemoAuthorizationServer demoAuthorizationServer(SandboxSettings sandbox, OAuth2Settings tokens,
                                                    SandboxStarts starts) {
        int port = sandbox.authorizationServerPort();
        return starts.begin(new DemoAuthorizationServer(port, tokens.audience(), sandbox.oauth2Clients()),
                DemoAuthorizationServer::start, DemoAuthorizationServer::stop,
                "jembatan.sandbox.authorization-server-port", port);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "jembatan.agencies.licensing.directory")
    LicensingSandbox licensingSandbox(@Value("${jembatan.agencies.licensing.directory}") Path directory) {
        return new LicensingSandbox(directory, Duration.ofMillis(250));
    }
}
