package id.jembatan.config;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.delivery.ConnectorFactory;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.operator.OperatorDirectory;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.settings.AccessPolicyProperties;
import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.settings.JembatanProperties;
import id.jembatan.settings.OperatorProperties;
import id.jembatan.verification.AgencyRateLimit;
import id.jembatan.verification.VerificationRateLimits;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The bus's configuration checked as a whole at start-up, before any bean is built from it: the agencies (ids, key
 * digests, owned and subscribed event types, settings no agency has), each subscribing agency's connector settings
 * (its {@link ConnectorFactory}'s problems), the access policy, the operators' keys, the broker and the verification
 * budget. Every problem found stops the start together ({@link InvalidConfigurationException}, printed by
 * {@link InvalidConfigurationFailureAnalyzer} as one short list), so that whoever configures the bus corrects them
 * all in one go rather than one per start. The beans that read these settings ({@link AgencyDirectory},
 * {@link AccessPolicy}, {@link OperatorDirectory}, {@link Subscriptions}, {@link VerificationRateLimits}, the broker
 * and the sandboxes) depend on this bean, so it runs before any of them could fail on its own. It is also a (no-op)
 * customizer of the web server, which Spring Boot builds before it starts Tomcat: a configuration that cannot run
 * stops the start before the HTTP server exists, and the list is all the operator sees.
 */
@Component(ConfigurationCheck.BEAN_NAME)
public class ConfigurationCheck implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> {

    /** The name the checked beans depend on ({@code @DependsOn}). */
    public static final String BEAN_NAME = "configurationCheck";

    private static final ConfigurationPropertyName AGENCIES = ConfigurationPropertyName.of("jembatan.agencies");
    private static final Map<String, String> AGENCY_SETTINGS = settingsOf(JembatanProperties.Agency.class);
    private static final Map<String, String> DELIVERY_SETTINGS = settingsOf(JembatanProperties.Delivery.class);

    public ConfigurationCheck(JembatanProperties bus, AccessPolicyProperties policy, OperatorProperties operators,
                              List<ConnectorFactory> connectorTypes, Environment environment) {
        InvalidConfigurationException.throwIfAny(problems(bus, policy, operators, connectorTypes,
                ConfigurationPropertySources.get(environment)));
    }

    /** Nothing to change: being a customizer only makes the check run before the web server is set up. */
    @Override
    public void customize(ConfigurableServletWebServerFactory factory) {
    }

    /**
     * Every problem of this configuration, each naming its key, in the order an operator reads the files: agencies,
     * access policy, operators, broker, the rate limits.
     *
     * @param sources the configuration as set (files, environment, command line), to find settings no agency has
     */
    public static List<String> problems(JembatanProperties bus, AccessPolicyProperties policy,
                                        OperatorProperties operators, Collection<ConnectorFactory> connectorTypes,
                                        Iterable<ConfigurationPropertySource> sources) {
        Set<String> problems = new LinkedHashSet<>();
        problems.addAll(unknownAgencySettings(sources));
        problems.addAll(AgencyDirectory.problems(bus));
        problems.addAll(Subscriptions.problems(bus, id -> Optional.ofNullable(policy.getAgencies().get(id))
                .map(AccessPolicyProperties.AgencyPolicy::getReceive).orElse(List.of()), connectorTypes));
        problems.addAll(AccessPolicy.problems(policy, bus));
        problems.addAll(OperatorDirectory.problems(operators, bus));
        problems.addAll(bus.getBroker().problems());
        problems.addAll(AgencyRateLimit.problems(bus));
        return new ArrayList<>(problems);
    }

    /**
     * Settings under {@code jembatan.agencies.<id>} that no agency has: Spring would bind around them silently, and a
     * misspelt {@code subscribe:} or a {@code receives:} (which belongs to the access policy) would quietly do
     * nothing. Compared in Spring's uniform form, so that {@code JEMBATAN_AGENCIES_TAX_SIGNINGSECRET} is known.
     */
    static List<String> unknownAgencySettings(Iterable<ConfigurationPropertySource> sources) {
        Map<String, String> unknown = new TreeMap<>();
        for (ConfigurationPropertySource source : sources) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.stream().filter(name -> AGENCIES.isAncestorOf(name) && name.getNumberOfElements() > 3)
                    .forEach(name -> {
                        String agency = "jembatan.agencies." + name.getElement(2, Form.ORIGINAL);
                        String setting = name.getElement(3, Form.UNIFORM);
                        if (!AGENCY_SETTINGS.containsKey(setting)) {
                            unknown.putIfAbsent(agency + "." + name.getElement(3, Form.ORIGINAL),
                                    hint(setting, agency, AGENCY_SETTINGS));
                        } else if (setting.equals("delivery") && name.getNumberOfElements() > 4
                                && !DELIVERY_SETTINGS.containsKey(name.getElement(4, Form.UNIFORM))) {
                            unknown.putIfAbsent(agency + ".delivery." + name.getElement(4, Form.ORIGINAL),
                                    hint(name.getElement(4, Form.UNIFORM), agency, DELIVERY_SETTINGS));
                        }
                    });
        }
        return unknown.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    private static String hint(String setting, String agency, Map<String, String> known) {
        String id = agency.substring(agency.lastIndexOf('.') + 1);
        if (setting.equals("receive") || setting.equals("receives")) {
            return "not an agency setting; the fields an agency receives are its access policy's"
                    + " jembatan.access-policy.agencies." + id + ".receive";
        }
        return "unknown setting (known: " + String.join(", ", known.values()) + ")";
    }

    /** A settings class's properties: uniform form (what Spring compares) to the dashed form an operator writes. */
    private static Map<String, String> settingsOf(Class<?> type) {
        return Arrays.stream(BeanUtils.getPropertyDescriptors(type))
                .map(PropertyDescriptor::getName)
                .filter(name -> !name.equals("class"))
                .collect(Collectors.toMap(name -> name.toLowerCase(Locale.ROOT), DataObjectPropertyName::toDashedForm,
                        (a, b) -> a, TreeMap::new));
    }
}
