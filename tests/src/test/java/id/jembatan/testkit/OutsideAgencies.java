package id.jembatan.testkit;

import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.sandbox.webhook.WebhookSandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The agencies a {@link TestBus} delivers to, in this JVM and outside the bus (so that they outlive a bus that is
 * stopped or killed): the tax office, the health FHIR server and the social-welfare webhook, each on a port the
 * system chose (bound to port 0 and read back), with a signing secret for this run only. The bus's own demo agencies
 * are off; licensing keeps writing its drop files into the bus's data folder.
 */
public final class OutsideAgencies implements AutoCloseable {

    private final TaxSandbox tax = new TaxSandbox(0);
    private final HealthSandbox health = new HealthSandbox(0);
    private final String bansosSecret = "bansos-" + UUID.randomUUID();
    private final WebhookSandbox webhooks = new WebhookSandbox(0, Map.of("bansos", bansosSecret), Clock.systemUTC());

    private OutsideAgencies() {
    }

    /** The three agencies, started. */
    public static OutsideAgencies start() {
        OutsideAgencies agencies = new OutsideAgencies();
        agencies.tax.start();
        agencies.health.start();
        agencies.webhooks.start();
        return agencies;
    }

    /**
     * A bus with no agency to deliver to over the network: tax, health and bansos subscribe to nothing, and the tax
     * office's status service points at a port where nothing listens.
     */
    static Map<String, String> none() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jembatan.sandbox.enabled", "false");
        for (String agency : new String[]{"tax", "health", "bansos"}) {
            settings.put("jembatan.agencies." + agency + ".subscribes", "");
        }
        // Required, never called here: port 9 (discard) refuses, as an owner that is down does.
        settings.put("jembatan.services.tax.taxpayer-status.url", "http://127.0.0.1:9/taxpayers/status");
        return settings;
    }

    /**
     * The bus's settings that point tax (its deliveries and its status service), health and bansos here (the secret
     * is in {@link #environment()}).
     */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jembatan.sandbox.enabled", "false");
        settings.put("jembatan.agencies.tax.url", tax.endpoint().toString());
        settings.put("jembatan.services.tax.taxpayer-status.url", tax.statusEndpoint().toString());
        settings.put("jembatan.agencies.health.url", health.baseUrl());
        settings.put("jembatan.agencies.bansos.url", webhooks.endpoint("bansos").toString());
        return settings;
    }

    /** Bansos' signing secret, as an operator gives it: in the environment. */
    Map<String, String> environment() {
        return Map.of("JEMBATAN_AGENCIES_BANSOS_SIGNINGSECRET", bansosSecret);
    }

    /** Bansos' signing secret as a setting, for a bus in this JVM (no process environment of its own). */
    Map<String, String> secretSettings() {
        return Map.of("jembatan.agencies.bansos.signing-secret", bansosSecret);
    }

    public TaxSandbox tax() {
        return tax;
    }

    public HealthSandbox health() {
        return health;
    }

    public WebhookSandbox webhooks() {
        return webhooks;
    }

    /** Every agency answers {@code status} (0: service again), to make the bus retry. */
    public void failWith(int status) {
        tax.setFailWith(status);
        health.setFailWith(status);
        webhooks.setFailWith(status);
    }

    @Override
    public void close() {
        webhooks.stop();
        health.stop();
        tax.stop();
    }
}
