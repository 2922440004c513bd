package id.jembatan.config;

import id.jembatan.connector.CitizenDirectory;
import id.jembatan.connector.CitizenMessageGroups;
import id.jembatan.connector.ConnectorFactory;
import id.jembatan.connector.Translators;
import id.jembatan.connector.health.FhirConnectorFactory;
import id.jembatan.connector.jms.JmsConnectorFactory;
import id.jembatan.connector.licensing.CsvDropConnectorFactory;
import id.jembatan.connector.tax.XmlHttpConnectorFactory;
import id.jembatan.connector.webhook.CanonicalJsonTranslator;
import id.jembatan.connector.webhook.JsonHttpConnectorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings records of the bus (every {@code @ConfigurationProperties} record under {@code id.jembatan}) bound from
 * the shipped configuration ({@code application.yaml}, {@code access-policy.yaml}) plus what production sets from
 * outside (agency URLs, a signing secret), and checked as the bus checks them at start: one wrong value at a time,
 * as an operator would set it.
 */
class SettingsValidationTest {

    private static final StaticListableBeanFactory NO_BEANS = new StaticListableBeanFactory();
    /** Every connector type the shipped configuration names. */
    private static final List<ConnectorFactory<?>> TYPES = List.of(new CsvDropConnectorFactory(),
            new FhirConnectorFactory(), new XmlHttpConnectorFactory(NO_BEANS.getBeanProvider(CitizenDirectory.class),
                    HttpClient.newHttpClient()),
            new JsonHttpConnectorFactory(translators(), HttpClient.newHttpClient(), Clock.systemUTC()),
            new JmsConnectorFactory(translators(), NO_BEANS.getBeanProvider(CitizenMessageGroups.class)));

    /** Shipped without a value, set per environment (README, docs/deployment.md). */
    private static Map<String, Object> fromOutside() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jembatan.agencies.tax.url", "https://djp.example.go.id/jembatan/taxpayers");
        settings.put("jembatan.agencies.health.url", "https://fhir.example.go.id/fhir");
        settings.put("jembatan.agencies.bansos.url", "https://bansos.example.go.id/jembatan/events");
        settings.put("jembatan.agencies.bansos.signing-secret", "a-signing-secret-of-32-bytes-or-more");
        settings.put("jembatan.services.tax.taxpayer-status.url", "https://djp.example.go.id/jembatan/taxpayer-status");
        return settings;
    }

    @Test
    void theShippedConfigurationHasNoProblem() {
        assertThat(settingsTypes()).as("the records found").hasSizeGreaterThanOrEqualTo(12);
        assertThat(problems(fromOutside())).isEmpty();
    }

    /**
     * One value out of its range, or empty where it is needed (an empty duration is its default). Result: exactly one
     * problem, the key followed by what the value must be, as Bean Validation of the setting's record says it.
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            jembatan.ingest.consumers                     | 0     | jembatan.ingest.consumers must be greater than or equal to 1
            jembatan.audit.lanes                          | 0     | jembatan.audit.lanes must be greater than or equal to 1
            jembatan.audit.lanes                          | 17    | jembatan.audit.lanes must be less than or equal to 16
            jembatan.ingest.max-body-bytes                | 1000  | jembatan.ingest.max-body-bytes must be greater than or equal to 1024
            jembatan.ingest.queue                         | ''    | jembatan.ingest.queue must not be blank
            jembatan.outbox.batch-size                    | 0     | jembatan.outbox.batch-size must be greater than or equal to 1
            jembatan.quotas.defaults.lookup.per-second    | 0     | jembatan.quotas.defaults.lookup.per-second must be greater than or equal to 1
            jembatan.quotas.defaults.owner-service.per-day | 0    | jembatan.quotas.defaults.owner-service.per-day must be greater than or equal to 1
            jembatan.statistics.computations.period       | 0s    | jembatan.statistics.computations.period must be longer than zero
            jembatan.notifications.queue                  | ''    | jembatan.notifications.queue must not be blank
            jembatan.http.operator-max-body-bytes         | 1000  | jembatan.http.operator-max-body-bytes must be greater than or equal to 1024
            jembatan.http.operator.port                   | -2    | jembatan.http.operator.port must be greater than or equal to -1
            jembatan.http.operator.threads                | 0     | jembatan.http.operator.threads must be greater than or equal to 1
            jembatan.broker.port                          | -1    | jembatan.broker.port must be greater than or equal to 0
            jembatan.broker.host                          | ''    | jembatan.broker.host must not be blank
            jembatan.broker.events-address                | ''    | jembatan.broker.events-address must not be blank
            jembatan.agencies.tax.delivery.consumers      | 0     | jembatan.agencies.tax.delivery.consumers must be greater than or equal to 1
            jembatan.agencies.tax.delivery.maximum-redeliveries | -1 | jembatan.agencies.tax.delivery.maximum-redeliveries must be greater than or equal to 0
            jembatan.agencies.health.url                  | ''    | jembatan.agencies.health.url is required for this connector type
            jembatan.agencies.licensing.directory         | ''    | jembatan.agencies.licensing.directory is required for this connector type
            jembatan.agencies.licensing.delivery.batch-size | 0   | jembatan.agencies.licensing.delivery.batch-size must be greater than or equal to 1
            jembatan.agencies.bansos.signing-secret       | short | jembatan.agencies.bansos.signing-secret needs at least 32 bytes (in production from the environment, never in a committed file)
            jembatan.operators.api-keys                   | demo-operator-key | 'jembatan.operators.api-keys: each entry must be the SHA-256 hex digest (64 hex digits) of a key, never the key itself (printf %s "$KEY" | sha256sum)'
            jembatan.access-policy.agencies.tax.purposes.TAXPAYER_REGISTRATION | '' | jembatan.access-policy.agencies.tax.purposes.TAXPAYER_REGISTRATION: lists no field
            """)
    void eachWrongValueIsOneProblemNamingItsKey(String key, String value, String problem) {
        Map<String, Object> settings = fromOutside();
        settings.put(key, value);
        assertThat(problems(settings)).containsExactly(problem);
    }

    /**
     * A setting of one connector type on an agency of another (a webhook's secret on the tax office, an HTTP timeout
     * on a file drop) or on one without a connector type, and a URL without a scheme. Result: one problem each, naming
     * the key and what is wrong.
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            jembatan.agencies.tax.signing-secret          | x     | jembatan.agencies.tax.signing-secret: not a setting of connector type xml-http (a setting of json-http)
            jembatan.agencies.licensing.delivery.timeout  | 5s    | jembatan.agencies.licensing.delivery.timeout: not a setting of connector type csv-drop (a setting of fhir, json-http, xml-http)
            jembatan.agencies.health.directory            | /tmp  | jembatan.agencies.health.directory: not a setting of connector type fhir (a setting of csv-drop)
            jembatan.agencies.civil-registry.url          | http://127.0.0.1/x | jembatan.agencies.civil-registry.url: not a setting of an agency without a connector type (a setting of fhir, json-http, xml-http)
            jembatan.agencies.tax.url                     | djp.example.go.id/taxpayers | jembatan.agencies.tax.url: 'djp.example.go.id/taxpayers' is not an http:// or https:// URL with a host (like https://agency.example.go.id/jembatan/events)
            """)
    void aSettingOfAnotherConnectorTypeOrAMalformedUrlNamesItsKey(String key, String value, String problem) {
        Map<String, Object> settings = fromOutside();
        settings.put(key, value);
        assertThat(problems(settings)).containsExactly(problem);
    }

    /**
     * A quota granted to an agency the bus does not have, and a lookup quota for a purpose the access policy does not
     * give that agency. Result: one problem each, naming the grant's key.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            pensions | PENSION_ELIGIBILITY           | jembatan.quotas.grants[0].agency: 'pensions' is not a configured agency
            bansos   | TAXPAYER_REGISTRATION         | jembatan.quotas.grants[0].purpose: 'TAXPAYER_REGISTRATION' is not a purpose of agency 'bansos' in the access policy
            """)
    void aQuotaGrantNamesAConfiguredAgencyAndOneOfItsPurposes(String agency, String purpose, String problem) {
        Map<String, Object> settings = fromOutside();
        settings.put("jembatan.quotas.grants[0].agency", agency);
        settings.put("jembatan.quotas.grants[0].purpose", purpose);
        settings.put("jembatan.quotas.grants[0].operation", "lookup");
        settings.put("jembatan.quotas.grants[0].per-second", "5");
        settings.put("jembatan.quotas.grants[0].per-day", "1000");
        assertThat(problems(settings)).containsExactly(problem);
    }

    /**
     * A {@code jms} agency configured without an API key, as JmsAgencyIT configures one with. Result: one problem,
     * naming its {@code api-keys}: it could never sign in to the broker to read its queue.
     */
    @Test
    void aJmsAgencyWithoutKeysIsAProblem() {
        Map<String, Object> settings = fromOutside();
        settings.put("jembatan.agencies.pensions.connector", "jms");
        settings.put("jembatan.agencies.pensions.subscribes", "BirthRegistered");
        settings.put("jembatan.access-policy.agencies.pensions.receive", "fullName");
        assertThat(problems(settings)).containsExactly("jembatan.agencies.pensions.api-keys: a jms agency signs in"
                + " to the broker as the user named by its id, with one of its API keys as password, and has none");
    }

    /** What the start-up check finds in the shipped configuration with these settings on top. */
    private static List<String> problems(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new MapPropertySource("command line", settings));
        for (String file : List.of("application.yaml", "access-policy.yaml")) {
            try {
                new YamlPropertySourceLoader().load(file, new ClassPathResource(file)).forEach(sources::addLast);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ConfigurationCheck.problems(settingsTypes(), TYPES, Binder.get(environment),
                ConfigurationPropertySources.get(environment));
    }

    /** Every settings record under {@code id.jembatan} on the classpath, as the application's scan finds them. */
    private static List<Class<?>> settingsTypes() {
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
        scan.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        return scan.findCandidateComponents("id.jembatan").stream()
                .<Class<?>>map(candidate -> ClassUtils.resolveClassName(candidate.getBeanClassName(), null))
                .toList();
    }

    private static Translators translators() {
        return new Translators(List.of(new CanonicalJsonTranslator()));
    }
}
