package id.jembatan.delivery;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.connector.ConnectorFactory;
import id.jembatan.connector.Translator;
import id.jembatan.connector.Translators;
import id.jembatan.connector.health.FhirConnectorFactory;
import id.jembatan.connector.licensing.CsvDropConnectorFactory;
import id.jembatan.connector.licensing.CsvDropSettings;
import id.jembatan.connector.webhook.CanonicalJsonTranslator;
import id.jembatan.connector.webhook.JsonHttpConnectorFactory;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.policy.AccessPolicySettings;
import id.jembatan.schema.model.CitizenEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Start-up checks of agencies against the connector types there are (ConnectorFactory beans), with the settings
 * bound from configuration keys as the bus binds its YAML.
 */
class SubscriptionsTest {

    private static final String SECRET = "a-signing-secret-of-32-bytes-or-more";

    private final MockEnvironment configuration = new MockEnvironment()
            .withProperty("jembatan.broker.events-address", "citizen.events");
    private final List<ConnectorFactory<?>> types = List.of(new CsvDropConnectorFactory(), new FhirConnectorFactory(),
            new JsonHttpConnectorFactory(new Translators(List.of(new CanonicalJsonTranslator())),
                    HttpClient.newHttpClient(), Clock.systemUTC()));

    private void webhookAgency(String id) {
        configuration.setProperty("jembatan.agencies." + id + ".connector", "json-http");
        configuration.setProperty("jembatan.agencies." + id + ".subscribes", "DeathRegistered");
        configuration.setProperty("jembatan.agencies." + id + ".url", "http://127.0.0.1:1/" + id + "/events");
        configuration.setProperty("jembatan.agencies." + id + ".signing-secret", SECRET);
        configuration.setProperty("jembatan.access-policy.agencies." + id + ".receive", "dateOfDeath");
    }

    private Subscriptions subscriptions() {
        Binder binder = Binder.get(configuration);
        AgenciesSettings agencies = binder.bindOrCreate("jembatan", AgenciesSettings.class);
        AccessPolicy policy = new AccessPolicy(binder.bindOrCreate("jembatan.access-policy",
                AccessPolicySettings.class), agencies);
        return new Subscriptions(agencies, binder.bindOrCreate("jembatan.broker", BrokerSettings.class), policy,
                types, configuration);
    }

    @Test
    void aWebhookAgencyNeedsOnlyConfiguration() {
        webhookAgency("bansos");
        Subscription s = subscriptions().require("bansos");
        assertThat(s.connector()).isEqualTo("json-http");
        assertThat(s.queue()).isEqualTo("citizen.events::bansos");
        assertThat(new ConnectorRegistry(subscriptions(), types).all()).containsOnlyKeys("bansos");
    }

    /**
     * A file-drop agency with its folder and batch interval set. Result: its subscription carries its settings of
     * {@code csv-drop}, the interval set and the batch size's default, and the retry settings every agency has.
     */
    @Test
    void anAgencysSettingsOfItsConnectorTypeAreBoundFromItsBlock() {
        configuration.setProperty("jembatan.agencies.licensing.connector", "csv-drop");
        configuration.setProperty("jembatan.agencies.licensing.subscribes", "BirthRegistered");
        configuration.setProperty("jembatan.agencies.licensing.directory", "drops/licensing");
        configuration.setProperty("jembatan.agencies.licensing.delivery.batch-interval", "200ms");
        configuration.setProperty("jembatan.agencies.licensing.delivery.maximum-redeliveries", "2");

        Subscription s = subscriptions().require("licensing");

        CsvDropSettings drop = s.connectorSettings(CsvDropSettings.class);
        assertThat(drop.directory()).isEqualTo(Path.of("drops/licensing"));
        assertThat(drop.delivery().batchInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(drop.delivery().batchSize()).isEqualTo(500);
        assertThat(s.delivery().maximumRedeliveries()).isEqualTo(2);
        assertThat(s.delivery().consumers()).isEqualTo(4);
    }

    @Test
    void anUnknownConnectorTypeNamesTheKeyAndTheTypesThereAre() {
        webhookAgency("bansos");
        configuration.setProperty("jembatan.agencies.bansos.connector", "soap");
        assertThatThrownBy(this::subscriptions).hasMessage(
                "jembatan.agencies.bansos.connector: 'soap' is not one of [csv-drop, fhir, json-http]");
    }

    @Test
    void aWebhookWithoutUrlSecretOrTranslatorDoesNotStart() {
        webhookAgency("bansos");
        configuration.setProperty("jembatan.agencies.bansos.url", "");
        configuration.setProperty("jembatan.agencies.bansos.signing-secret", "short");
        configuration.setProperty("jembatan.agencies.bansos.format", "bansos-xml");
        assertThatThrownBy(this::subscriptions)
                .hasMessageContaining("jembatan.agencies.bansos.url is required")
                .hasMessageContaining("jembatan.agencies.bansos.signing-secret needs at least 32 bytes")
                .hasMessageContaining("jembatan.agencies.bansos.format: no translator named 'bansos-xml'");
    }

    /**
     * A file-drop agency with no folder and batches of no rows. Result: a problem for each, naming its key, with
     * what it must be.
     */
    @Test
    void aFileDropWithoutFolderOrRowsDoesNotStart() {
        configuration.setProperty("jembatan.agencies.licensing.connector", "csv-drop");
        configuration.setProperty("jembatan.agencies.licensing.subscribes", "BirthRegistered");
        configuration.setProperty("jembatan.agencies.licensing.delivery.batch-size", "0");
        assertThat(Subscriptions.problems(Binder.get(configuration).bindOrCreate("jembatan", AgenciesSettings.class),
                id -> List.of(), types, Binder.get(configuration))).containsExactly(
                "jembatan.agencies.licensing.delivery.batch-size must be greater than or equal to 1",
                "jembatan.agencies.licensing.directory is required for this connector type");
    }

    /** An integrator's translator named after the agency wins over the format; two with one name stop the start. */
    @Test
    void translatorsAreFoundByAgencyIdThenByFormat() {
        Translator own = new Translator() {
            @Override
            public String name() {
                return "bansos";
            }

            @Override
            public String mediaType() {
                return "application/json";
            }

            @Override
            public byte[] toAgency(CitizenEvent event) {
                return new byte[0];
            }
        };
        CanonicalJsonTranslator canonical = new CanonicalJsonTranslator();
        Translators translators = new Translators(List.of(canonical, own));
        assertThat(translators.forAgency("bansos", null)).containsSame(own);
        assertThat(translators.forAgency("other", null)).containsSame(canonical);
        assertThat(translators.forAgency("other", "canonical-json")).containsSame(canonical);
        assertThatThrownBy(() -> new Translators(List.of(own, own)))
                .hasMessageStartingWith("two translators are named 'bansos'");
    }
}
