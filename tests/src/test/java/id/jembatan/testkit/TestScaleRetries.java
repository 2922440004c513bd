package id.jembatan.testkit;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Retries on a test scale for every agency of the bus's configuration, read from the configuration itself
 * (application.yaml, the profile files, the test's own properties): an agency an integrator adds gets them with no
 * list to keep. An unreachable agency is retried every second at most, a refused event is dead-lettered after three
 * attempts. The values rank above the configuration files and below anything set explicitly (a test's
 * {@code @DynamicPropertySource} or {@code @TestPropertySource}, command-line arguments, system properties, the
 * environment), so a test can still set an agency's retries itself.
 */
public class TestScaleRetries implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The name of the property source this adds. */
    public static final String SOURCE_NAME = "jembatanTestScaleRetries";

    private static final ConfigurationPropertyName AGENCIES = ConfigurationPropertyName.of("jembatan.agencies");

    /** The test-scale delivery settings of one agency, by key. */
    public static Map<String, Object> settings(String agency) {
        String delivery = "jembatan.agencies." + agency + ".delivery.";
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(delivery + "redelivery-delay", "100ms");
        settings.put(delivery + "maximum-redelivery-delay", "1s");
        settings.put(delivery + "maximum-redeliveries", 2);
        return settings;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        Map<String, Object> settings = new LinkedHashMap<>();
        agencyIds(ConfigurationPropertySources.get(environment)).forEach(id -> settings.putAll(settings(id)));
        MutablePropertySources sources = environment.getPropertySources();
        MapPropertySource retries = new MapPropertySource(SOURCE_NAME, settings);
        if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, retries);
        } else {
            sources.addFirst(retries);
        }
    }

    /** Every agency id under {@code jembatan.agencies}, in any of these sources. */
    static Set<String> agencyIds(Iterable<ConfigurationPropertySource> sources) {
        Set<String> ids = new TreeSet<>();
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(name -> AGENCIES.isAncestorOf(name) && name.getNumberOfElements() > 3)
                        .forEach(name -> ids.add(name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL)));
            }
        }
        return ids;
    }
}
