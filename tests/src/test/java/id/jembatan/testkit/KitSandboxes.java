package id.jembatan.testkit;

import id.jembatan.complaint.ComplaintSettings;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.oauth.DemoAuthorizationServer;
import id.jembatan.sandbox.oauth.DemoClient;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.sandbox.webhook.WebhookSandbox;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo agencies the bus sends to (the tax office, the health FHIR server, the webhook receiver of every
 * {@code json-http} agency) and the demo OAuth2 authorization server (the issuer of agencies' tokens), started for the kit's bus before the bus itself, each on a port the system chooses
 * (bound to port 0, then read back): a port found free and handed to the bus to bind later can be taken in
 * between. Their ports become {@code jembatan.sandbox.tax-port}, {@code -health-port}, {@code -webhook-port} and
 * {@code -authorization-server-port}, so
 * that agency URLs written with those placeholders (the demo profile's, an integrator's) reach them; they are the
 * bus's sandbox beans (the demo's own back off) and stop with the bus. The civil registry's inbox, which the bus
 * does not send to, binds a port of its own choosing in the bus ({@code civil-registry-port} 0).
 */
public class KitSandboxes implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The name of the property source that carries the ports. */
    public static final String SOURCE_NAME = "jembatanKitSandboxes";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        if (!environment.getProperty("jembatan.sandbox.enabled", Boolean.class, true)) {
            return;
        }
        TaxSandbox tax = new TaxSandbox(0);
        HealthSandbox health = new HealthSandbox(0);
        WebhookSandbox webhooks = new WebhookSandbox(0, webhookSecrets(environment), Clock.systemUTC());
        DemoAuthorizationServer issuer = new DemoAuthorizationServer(0,
                environment.getProperty("jembatan.oauth2.audience", "jembatan"), oauth2Clients(environment));
        tax.start();
        health.start();
        webhooks.start();
        issuer.start();
        context.addApplicationListener((ContextClosedEvent closed) -> {
            if (closed.getApplicationContext() == context) {
                issuer.stop();
                webhooks.stop();
                health.stop();
                tax.stop();
            }
        });
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("jembatan.sandbox.tax-port", tax.port());
        ports.put("jembatan.sandbox.health-port", health.port());
        ports.put("jembatan.sandbox.webhook-port", webhooks.port());
        ports.put("jembatan.sandbox.civil-registry-port", 0);
        ports.put("jembatan.sandbox.authorization-server-port", issuer.port());
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, ports));
        context.getBeanFactory().registerSingleton("taxSandbox", tax);
        context.getBeanFactory().registerSingleton("healthSandbox", health);
        context.getBeanFactory().registerSingleton("webhookSandbox", webhooks);
        context.getBeanFactory().registerSingleton("demoAuthorizationServer", issuer);
    }

    /** The demo authorization server's clients as configured ({@code jembatan.sandbox.oauth2-clients}). */
    private static Map<String, DemoClient> oauth2Clients(ConfigurableEnvironment environment) {
        return Binder.get(environment).bind("jembatan.sandbox.oauth2-clients",
                Bindable.mapOf(String.class, DemoClient.class)).orElse(Map.of());
    }

    /** The signing secret of every {@code json-http} agency and receiver of complaints, by agency id. */
    private static Map<String, String> webhookSecrets(ConfigurableEnvironment environment) {
        Map<String, String> secrets = new TreeMap<>();
        for (String id : TestScaleRetries.agencyIds(ConfigurationPropertySources.get(environment))) {
            String prefix = "jembatan.agencies." + id + ".";
            String secret = environment.getProperty(prefix + "signing-secret");
            if ("json-http".equals(environment.getProperty(prefix + "connector")) && secret != null) {
                secrets.put(id, secret);
            }
        }
        // Agencies that receive only complaints (the ombudsman) are webhook agencies too.
        Binder.get(environment).bind("jembatan.complaints.receivers", Bindable.mapOf(String.class,
                        ComplaintSettings.Receiver.class)).orElse(Map.of())
                .forEach((id, receiver) -> secrets.putIfAbsent(id, receiver.signingSecret()));
        return secrets;
    }
}
