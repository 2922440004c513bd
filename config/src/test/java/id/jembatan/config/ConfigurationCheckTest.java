package id.jembatan.config;

import id.jembatan.connector.ConnectorFactory;
import id.jembatan.connector.Translators;
import id.jembatan.connector.health.FhirConnectorFactory;
import id.jembatan.connector.licensing.CsvDropConnectorFactory;
import id.jembatan.connector.webhook.CanonicalJsonTranslator;
import id.jembatan.connector.webhook.JsonHttpConnectorFactory;
import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.statistics.StatisticsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up check of the whole configuration: every problem at once, each naming its key, as an integrator adding
 * an agency would make them. The configuration is bound the way the bus binds its YAML (Spring's binder).
 */
class ConfigurationCheckTest {

    private static final String SECRET = "a-signing-secret-of-32-bytes-or-more";
    /** printf %s demo-tax-key | sha256sum */
    private static final String TAX_DIGEST = "c164804b895b15eed472861072d9841398d354573b037b33cc995b1ce1f5e46a";

    private static final List<ConnectorFactory<?>> TYPES = List.of(new CsvDropConnectorFactory(),
            new FhirConnectorFactory(), new JsonHttpConnectorFactory(
                    new Translators(List.of(new CanonicalJsonTranslator())), HttpClient.newHttpClient(),
                    Clock.systemUTC()));

    /** A correct configuration of a sixth agency (a webhook), as docs/adding-an-agency.md describes it. */
    private static Map<String, String> valid() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jembatan.broker.events-address", "citizen.events");
        settings.put("jembatan.agencies.civil-registry.owns", "BirthRegistered,DeathRegistered");
        settings.put("jembatan.agencies.tax.api-keys", TAX_DIGEST);
        settings.put("jembatan.agencies.pensions.connector", "json-http");
        settings.put("jembatan.agencies.pensions.subscribes", "BirthRegistered,DeathRegistered");
        settings.put("jembatan.agencies.pensions.url", "http://127.0.0.1:8184/pensions/events");
        settings.put("jembatan.agencies.pensions.signing-secret", SECRET);
        settings.put("jembatan.agencies.pensions.delivery.consumers", "2");
        settings.put("jembatan.access-policy.agencies.pensions.receive", "fullName,dateOfDeath");
        settings.put("jembatan.access-policy.agencies.pensions.purposes.PENSION_ELIGIBILITY", "fullName,deceased");
        return settings;
    }

    @Test
    void aCorrectConfigurationHasNoProblem() {
        assertThat(problems(valid())).isEmpty();
    }

    /**
     * A configuration of an earlier release with its lookup and notification rate limits. Result: one problem each,
     * naming the former key and the quota that replaced it: set and silently ignored, an agency's limit would fall
     * back to the default.
     */
    @Test
    void theFormerRateLimitsAreNamedWithTheQuotasThatReplacedThem() {
        Map<String, String> settings = valid();
        settings.put("jembatan.lookup.rate-limit.requests", "50");
        settings.put("jembatan.lookup.rate-limit.period", "1s");
        settings.put("jembatan.notifications.rate-limit.requests", "5");

        assertThat(problems(settings)).containsExactly(
                "jembatan.lookup.rate-limit: no longer read; set jembatan.quotas.defaults.lookup.per-second and"
                        + " .per-day instead (docs/operations.md, Quotas)",
                "jembatan.notifications.rate-limit: no longer read; set jembatan.quotas.defaults.notification"
                        + ".per-second and .per-day instead (docs/operations.md, Quotas)");
    }

    /**
     * Ten mistakes in one configuration. Result: ten problems, in one list, each starting with the key to correct;
     * nothing is left for a second start to find.
     */
    @Test
    void everyProblemIsListedAtOnceEachNamingItsKey() {
        Map<String, String> settings = valid();
        settings.put("jembatan.agencies.pensions.subscribes", "BirthRegistered,DeathRegistered,PensionStarted");
        settings.put("jembatan.agencies.pensions.url", "127.0.0.1:9000/pensions/events");
        settings.put("jembatan.agencies.pensions.signing-secret", "too-short");
        settings.put("jembatan.agencies.pensions.receives", "fullName");
        settings.put("jembatan.agencies.pensions.delivery.retries", "3");
        settings.put("jembatan.agencies.tax.api-keys", "demo-tax-key");
        settings.put("jembatan.access-policy.agencies.pensions.receive", "fullName");
        settings.put("jembatan.access-policy.agencies.pension.receive", "fullName");
        settings.put("jembatan.operators.api-keys", "demo-operator-key");
        settings.put("jembatan.statistics.computations.period", "0s");

        List<String> problems = problems(settings);

        assertThat(problems).hasSize(10);
        assertThat(problems).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.subscribes: unknown event type"
                        + " 'PensionStarted'"),
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.url: '127.0.0.1:9000/pensions/events'"
                        + " is not an http:// or https:// URL"),
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.signing-secret needs at least 32 bytes"),
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.receives: not an agency setting")
                        .contains("jembatan.access-policy.agencies.pensions.receive"),
                p -> assertThat(p).startsWith("jembatan.agencies.pensions.delivery.retries: unknown setting")
                        .contains("maximum-redeliveries"),
                p -> assertThat(p).startsWith("jembatan.agencies.tax.api-keys: each entry must be the SHA-256"),
                p -> assertThat(p).startsWith("jembatan.access-policy.agencies.pensions.receive: subscribes to"
                        + " DeathRegistered but does not receive 'dateOfDeath'"),
                p -> assertThat(p).startsWith("jembatan.access-policy.agencies.pension: unknown agency"),
                p -> assertThat(p).startsWith("jembatan.operators.api-keys: each entry must be the SHA-256"),
                p -> assertThat(p).startsWith("jembatan.statistics.computations.period must be longer than zero"));
    }

    /** One wrong setting at a time. Result: exactly one problem, naming that key. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            jembatan.agencies.Kiosk.url                          | http://127.0.0.1:1/x   | jembatan.agencies.Kiosk:
            jembatan.agencies.pensions.connector                 | soap                   | jembatan.agencies.pensions.connector
            jembatan.agencies.pensions.connector                 | ''                     | jembatan.agencies.pensions.connector
            jembatan.agencies.pensions.url                       | ftp://host/x           | jembatan.agencies.pensions.url
            jembatan.agencies.pensions.url                       | https://               | jembatan.agencies.pensions.url
            jembatan.agencies.pensions.format                    | pensions-xml           | jembatan.agencies.pensions.format
            jembatan.agencies.pensions.subscribe                 | BirthRegistered        | jembatan.agencies.pensions.subscribe
            jembatan.agencies.civil-registry.owns                | Birth                  | jembatan.agencies.civil-registry.owns
            jembatan.agencies.tax.api-keys                       | c164804b               | jembatan.agencies.tax.api-keys
            jembatan.access-policy.agencies.pensions.receive     | fullName,dateOfDeath,x | jembatan.access-policy.agencies.pensions.receive
            jembatan.access-policy.agencies.pensions.purposes.pension | fullName          | jembatan.access-policy.agencies.pensions.purposes.pension
            jembatan.access-policy.agencies.pensions.fhir-purpose | OTHER                 | jembatan.access-policy.agencies.pensions.fhir-purpose
            jembatan.operators.api-keys                          | c164804b895b15eed472861072d9841398d354573b037b33cc995b1ce1f5e46a | jembatan.operators.api-keys
            jembatan.broker.embedded                             | false                  | jembatan.broker.url
            """)
    void eachMistakeNamesItsKey(String key, String value, String namedKey) {
        Map<String, String> settings = valid();
        settings.put(key, value);
        assertThat(problems(settings)).singleElement().asString().startsWith(namedKey);
    }

    /**
     * Complaints turned on with a route to an agency that does not exist, a region prefix that is not in the official
     * list, a receiver URL that is not one and no supervising agency. Result: each is a problem naming its key; with
     * complaints off (the production jar's default) none of their settings is required.
     */
    @Test
    void complaintsTurnedOnAreCheckedAcrossKeys() {
        Map<String, String> settings = valid();
        settings.put("jembatan.complaints.enabled", "true");
        settings.put("jembatan.complaints.filers", "tax");
        settings.put("jembatan.complaints.default-agency", "pensions");
        settings.put("jembatan.complaints.categories.SOCIAL_ASSISTANCE.acknowledge-within", "72h");
        settings.put("jembatan.complaints.routes[0].category", "SOCIAL_ASSISTANCE");
        settings.put("jembatan.complaints.routes[0].region-prefix", "3199");
        settings.put("jembatan.complaints.routes[0].agency", "dinsos");
        settings.put("jembatan.complaints.receivers.pensions.url", "pensions.example/complaints");
        settings.put("jembatan.complaints.receivers.pensions.signing-secret", SECRET);

        assertThat(problems(settings)).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).startsWith("jembatan.complaints.receivers.pensions.url:"),
                p -> assertThat(p).isEqualTo("jembatan.complaints.supervising-agency is required when"
                        + " jembatan.complaints.enabled is true"));
        settings.put("jembatan.complaints.supervising-agency", "pensions");
        settings.put("jembatan.complaints.receivers.pensions.url", "https://pensions.example/complaints");
        assertThat(problems(settings)).containsExactlyInAnyOrder(
                "jembatan.complaints.receivers.dinsos.url is required: complaints can be routed to 'dinsos'",
                "jembatan.complaints.routes[0].region-prefix: '3199' is not in the official list of region codes",
                "jembatan.complaints.routes[0].agency: 'dinsos' is not an agency of jembatan.agencies");

        settings.put("jembatan.complaints.enabled", "false");
        assertThat(problems(settings)).isEmpty();
    }

    /**
     * Settings from the environment are written without dashes (JEMBATAN_AGENCIES_PENSIONS_SIGNINGSECRET). Result:
     * they are known settings, not reported.
     */
    @Test
    void settingsFromTheEnvironmentAreKnown() {
        Map<String, String> settings = valid();
        settings.remove("jembatan.agencies.pensions.signing-secret");
        ConfigurationPropertySource environment = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                "systemEnvironment", Map.of("JEMBATAN_AGENCIES_PENSIONS_SIGNINGSECRET", SECRET,
                "JEMBATAN_AGENCIES_PENSIONS_DELIVERY_MAXIMUMREDELIVERIES", "2")));
        assertThat(problems(List.of(yaml(settings), environment))).isEmpty();
    }

    /**
     * The check's exception, as Spring wraps it in the bean that failed. Result: Spring Boot's summary lists each
     * problem on a line of its own and says what to do, with no exception or class name in it.
     */
    @Test
    void theFailureSummaryListsEveryProblem() {
        InvalidConfigurationException cause = new InvalidConfigurationException(List.of(
                "jembatan.agencies.pensions.url is required for this connector type",
                "jembatan.operators.api-keys: each entry must be the SHA-256 hex digest"));
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer()
                .analyze(new BeanCreationException("configurationCheck", "Error creating bean", cause));

        assertThat(analysis.getDescription()).isEqualTo("""
                The bus's configuration has 2 problems:

                    - jembatan.agencies.pensions.url is required for this connector type
                    - jembatan.operators.api-keys: each entry must be the SHA-256 hex digest""");
        assertThat(analysis.getAction()).contains("start the bus again");
        assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("Exception", "id.jembatan");
    }

    /**
     * A key rotation as docs/operations.md describes it: the new digest in {@code api-keys}, the old one in
     * {@code retiring-api-keys} with its retirement (ISO 8601 with an offset). Result: no problem; the old digest
     * also left in {@code api-keys}, a retirement without a date, or a digest that is no digest, each one problem
     * naming the key.
     */
    @Test
    void aKeyRotationIsCheckedWithTheRest() {
        Map<String, String> settings = valid();
        settings.put("jembatan.agencies.tax.api-keys", TAX_DIGEST);
        settings.put("jembatan.agencies.tax.retiring-api-keys[0].digest", "0".repeat(64));
        settings.put("jembatan.agencies.tax.retiring-api-keys[0].retire-at", "2026-12-31T00:00:00+07:00");
        assertThat(problems(settings)).isEmpty();

        settings.put("jembatan.agencies.tax.retiring-api-keys[1].digest", TAX_DIGEST);
        settings.put("jembatan.agencies.tax.retiring-api-keys[1].retire-at", "2026-12-31T00:00:00+07:00");
        settings.put("jembatan.agencies.tax.retiring-api-keys[2].digest", "demo-old-tax-key");
        assertThat(problems(settings)).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).startsWith("jembatan.agencies.tax.retiring-api-keys: a digest is also in api-keys"),
                p -> assertThat(p).startsWith("jembatan.agencies.tax.retiring-api-keys.digest: each entry must"),
                p -> assertThat(p).startsWith("jembatan.agencies.tax.retiring-api-keys.retire-at must not be null"));
    }

    private static List<String> problems(Map<String, String> settings) {
        return problems(List.of(yaml(settings)));
    }

    /** The settings as a configuration file gives them to Spring. */
    private static ConfigurationPropertySource yaml(Map<String, String> settings) {
        return ConfigurationPropertySource.from(new MapPropertySource("application.yaml", new LinkedHashMap<>(settings)));
    }

    /** The problems the check finds in the agencies, access policy, operators, broker and statistics settings. */
    private static List<String> problems(List<ConfigurationPropertySource> sources) {
        return ConfigurationCheck.problems(List.of(StatisticsSettings.class), TYPES, new Binder(sources), sources);
    }
}
