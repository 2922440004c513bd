package id.jembatan.delivery;

import id.jembatan.connector.Translator;
import id.jembatan.connector.webhook.CanonicalJsonTranslator;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.settings.AccessPolicyProperties;
import id.jembatan.settings.JembatanProperties;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up checks of agencies against the connector types there are (ConnectorFactory beans). */
class SubscriptionsTest {

    private static final String SECRET = "a-signing-secret-of-32-bytes-or-more";

    private final JembatanProperties bus = new JembatanProperties();
    private final AccessPolicyProperties policy = new AccessPolicyProperties();
    private final List<ConnectorFactory> types = List.of(new CsvDropConnectorFactory(), new FhirConnectorFactory(),
            new JsonHttpConnectorFactory(new Translators(List.of(new CanonicalJsonTranslator())),
                    HttpClient.newHttpClient(), Clock.systemUTC()));

    private JembatanProperties.Agency webhookAgency(String id) {
        bus.getBroker().setEventsAddress("citizen.events");
        JembatanProperties.Agency agency = new JembatanProperties.Agency();
        agency.setConnector("json-http");
        agency.setSubscribes(List.of("DeathRegistered"));
        agency.setUrl("http://127.0.0.1:1/" + id + "/events");
        agency.setSigningSecret(SECRET);
        bus.getAgencies().put(id, agency);
        AccessPolicyProperties.AgencyPolicy rules = new AccessPolicyProperties.AgencyPolicy();
        rules.setReceive(List.of("dateOfDeath"));
        policy.getAgencies().put(id, rules);
        return agency;
    }

    private Subscriptions subscriptions() {
        return new Subscriptions(bus, new AccessPolicy(policy, bus), types);
    }

    @Test
    void aWebhookAgencyNeedsOnlyConfiguration() {
        webhookAgency("bansos");
        Subscription s = subscriptions().require("bansos");
        assertThat(s.connector()).isEqualTo("json-http");
        assertThat(s.queue()).isEqualTo("citizen.events::bansos");
        assertThat(new ConnectorRegistry(subscriptions(), types).all()).containsOnlyKeys("bansos");
    }

    @Test
    void anUnknownConnectorTypeNamesTheKeyAndTheTypesThereAre() {
        webhookAgency("bansos").setConnector("soap");
        assertThatThrownBy(this::subscriptions).hasMessage(
                "jembatan.agencies.bansos.connector: 'soap' is not one of [csv-drop, fhir, json-http]");
    }

    @Test
    void aWebhookWithoutUrlSecretOrTranslatorDoesNotStart() {
        JembatanProperties.Agency agency = webhookAgency("bansos");
        agency.setUrl(null);
        agency.setSigningSecret("short");
        agency.setFormat("bansos-xml");
        assertThatThrownBy(this::subscriptions)
                .hasMessageContaining("jembatan.agencies.bansos.url is required")
                .hasMessageContaining("jembatan.agencies.bansos.signing-secret needs at least 32 bytes")
                .hasMessageContaining("jembatan.agencies.bansos.format: no translator named 'bansos-xml'");
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
        JembatanProperties.Agency settings = webhookAgency("bansos");
        assertThat(translators.forAgency("bansos", settings)).containsSame(own);
        assertThat(translators.forAgency("other", settings)).containsSame(canonical);
        settings.setFormat("canonical-json");
        assertThat(translators.forAgency("other", settings)).containsSame(canonical);
        assertThatThrownBy(() -> new Translators(List.of(own, own)))
                .hasMessageStartingWith("two translators are named 'bansos'");
    }
}
