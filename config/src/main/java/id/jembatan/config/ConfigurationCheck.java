package id.jembatan.config;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.complaint.ComplaintRouting;
import id.jembatan.complaint.ComplaintSettings;
import id.jembatan.connector.ConnectorFactory;
import id.jembatan.delivery.Subscriptions;
import id.jembatan.export.BulkExportSettings;
import id.jembatan.export.BulkExports;
import id.jembatan.operator.OperatorDirectory;
import id.jembatan.operator.OperatorSettings;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.policy.AccessPolicySettings;
import id.jembatan.quota.QuotaSettings;
import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.services.OwnerServices;
import id.jembatan.services.OwnerServicesSettings;
import id.jembatan.settings.SettingsProblems;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bus's configuration checked as a whole at start-up, before any bean is built from it: every settings record
 * under {@code jembatan.*} (each bound here as the bus binds it, and checked with Bean Validation), the names under
 * {@code jembatan.agencies} (agency ids, settings the agency does not have: {@link AgencySettingNames}), then what
 * only holds across settings: the agencies' owned event types, each subscribing agency's connector settings (its
 * connector type's record and its {@link ConnectorFactory}'s problems), the access policy against the agencies,
 * operator keys that are agency keys, the broker, the agencies that may export in bulk, the owner services, the
 * quotas' grants against the agencies and their purposes. Every problem found stops the start together
 * ({@link InvalidConfigurationException}, printed by {@link InvalidConfigurationFailureAnalyzer} as one short list,
 * sorted by key), so that whoever configures the bus corrects them all in one go rather than one per start. The beans
 * that read these settings ({@link AgencyDirectory}, {@link AccessPolicy}, {@link OperatorDirectory},
 * {@link Subscriptions}, the rate limits, the broker and the sandboxes) depend on this bean, so it runs before any of
 * them could fail on its own. It is also a (no-op) customizer of the web server, which Spring Boot builds before it
 * starts Tomcat: a configuration that cannot run stops the start before the HTTP server exists, and the list is all
 * the operator sees.
 */
@Component(ConfigurationCheck.BEAN_NAME)
public class ConfigurationCheck implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> {

    /** Former settings and what replaced them ({@link #replaced}). */
    private static final Map<String, String> REPLACED = Map.of(
            "jembatan.lookup.rate-limit", "jembatan.quotas.defaults.lookup",
            "jembatan.verification.rate-limit", "jembatan.quotas.defaults.verification",
            "jembatan.notifications.rate-limit", "jembatan.quotas.defaults.notification");

    /** The name the checked beans depend on ({@code @DependsOn}). */
    public static final String BEAN_NAME = "configurationCheck";

    /** The settings the checks across settings read; checked whether or not the application registers them. */
    private static final List<Class<?>> CROSS_CHECKED = List.of(AgenciesSettings.class, AccessPolicySettings.class,
            OperatorSettings.class, BrokerSettings.class, BulkExportSettings.class,
            OwnerServicesSettings.class, ComplaintSettings.class);

    /**
     * @param beans the application's bean definitions, for the settings records it registers (none is created)
     */
    public ConfigurationCheck(ListableBeanFactory beans, List<ConnectorFactory<?>> connectorTypes,
                              Environment environment) {
        InvalidConfigurationException.throwIfAny(problems(settingsTypes(beans), connectorTypes,
                Binder.get(environment), ConfigurationPropertySources.get(environment)));
    }

    /** Nothing to change: being a customizer only makes the check run before the web server is set up. */
    @Override
    public void customize(ConfigurableServletWebServerFactory factory) {
    }

    /**
     * Every problem of this configuration, each naming its key, sorted by key.
     *
     * @param settingsTypes the settings records to bind and validate (besides those the checks across settings read)
     * @param binder        binds them, as the application does
     * @param sources       the configuration as set (files, environment, command line), to find settings no agency
     *                      has
     */
    public static List<String> problems(Collection<Class<?>> settingsTypes,
                                        Collection<? extends ConnectorFactory<?>> connectorTypes, Binder binder,
                                        Iterable<ConfigurationPropertySource> sources) {
        Set<String> problems = new TreeSet<>();
        Map<Class<?>, Object> settings = new LinkedHashMap<>();
        for (Class<?> type : union(CROSS_CHECKED, settingsTypes)) {
            String prefix = prefix(type).orElseThrow();
            Object bound = binder.bindOrCreate(prefix, type);
            settings.put(type, bound);
            problems.addAll(SettingsProblems.of(prefix, bound));
        }
        AgenciesSettings agencies = (AgenciesSettings) settings.get(AgenciesSettings.class);
        AccessPolicySettings policy = (AccessPolicySettings) settings.get(AccessPolicySettings.class);
        problems.addAll(new AgencySettingNames(connectorTypes).problems(sources, agencies));
        problems.addAll(AgencyDirectory.problems(agencies));
        problems.addAll(Subscriptions.problems(agencies, id -> Optional.ofNullable(policy.agencies().get(id))
                .map(AccessPolicySettings.AgencyPolicy::receive).orElse(List.of()), connectorTypes, binder));
        problems.addAll(AccessPolicy.problems(policy, agencies));
        problems.addAll(OperatorDirectory.problems((OperatorSettings) settings.get(OperatorSettings.class), agencies));
        problems.addAll(((BrokerSettings) settings.get(BrokerSettings.class)).problems());
        problems.addAll(BulkExports.problems((BulkExportSettings) settings.get(BulkExportSettings.class), agencies));
        problems.addAll(OwnerServices.problems((OwnerServicesSettings) settings.get(OwnerServicesSettings.class),
                agencies, policy));
        problems.addAll(replaced(sources));
        if (settings.get(QuotaSettings.class) instanceof QuotaSettings quotas && quotas.grants() != null) {
            problems.addAll(quotas.problems(agencies.agencies().keySet(), id -> Optional.ofNullable(
                    policy.agencies().get(id)).map(p -> p.purposes().keySet()).orElse(Set.of())));
        }
        problems.addAll(ComplaintRouting.problems((ComplaintSettings) settings.get(ComplaintSettings.class),
                agencies.agencies().keySet()));
        return List.copyOf(problems);
    }

    /**
     * Settings earlier releases read and this one does not, each named with what replaced it: left in a configuration
     * they would be ignored without a word (an agency's limit silently becoming the default).
     */
    static List<String> replaced(Iterable<ConfigurationPropertySource> sources) {
        Set<String> problems = new TreeSet<>();
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().forEach(name -> REPLACED.forEach((old, now) -> {
                    if (ConfigurationPropertyName.of(old).isAncestorOf(name)) {
                        problems.add(old + ": no longer read; set " + now + ".per-second and .per-day instead"
                                + " (docs/operations.md, Quotas)");
                    }
                }));
            }
        }
        return List.copyOf(problems);
    }

    /** The types of the application's settings under {@code jembatan.*}, from its bean definitions. */
    static List<Class<?>> settingsTypes(ListableBeanFactory beans) {
        return Arrays.stream(beans.getBeanDefinitionNames())
                .<Class<?>>map(name -> beans.getType(name, false))
                .filter(Objects::nonNull)
                .filter(type -> prefix(type).filter(p -> p.equals("jembatan") || p.startsWith("jembatan.")).isPresent())
                .distinct()
                .toList();
    }

    /** The prefix a settings type is bound from, if it is one. */
    private static Optional<String> prefix(Class<?> type) {
        MergedAnnotation<ConfigurationProperties> annotation = MergedAnnotations.from(type)
                .get(ConfigurationProperties.class);
        return annotation.isPresent() ? Optional.of(annotation.getString("prefix")) : Optional.empty();
    }

    private static Set<Class<?>> union(Collection<Class<?>> a, Collection<Class<?>> b) {
        Set<Class<?>> union = new LinkedHashSet<>(a);
        union.addAll(b);
        return union;
    }
}
