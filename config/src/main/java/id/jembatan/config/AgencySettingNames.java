package id.jembatan.config;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySettings;
import id.jembatan.connector.ConnectorFactory;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The names under {@code jembatan.agencies}: each agency id one ({@link AgenciesSettings#ID}), and each setting one the
 * agency has. Spring binds around a setting no agency has silently, and a misspelt {@code subscribe:}, a
 * {@code receives:} (which belongs to the access policy) or a {@code signing-secret} on an {@code xml-http} agency
 * would quietly do nothing. An agency has the settings of {@link AgencySettings} and those of its connector type's
 * record ({@link ConnectorFactory#settingsType()}), one without a connector type (that subscribes to nothing) only
 * the former; one whose connector is unknown, or missing while it subscribes, may have those of any type (its
 * connector is reported on its own). Names are compared in Spring's uniform form, so that
 * {@code JEMBATAN_AGENCIES_TAX_SIGNINGSECRET} is known.
 */
final class AgencySettingNames {

    private static final ConfigurationPropertyName AGENCIES = ConfigurationPropertyName.of("jembatan.agencies");
    /** Elements of {@code jembatan.agencies.<id>} before an agency's own setting. */
    private static final int AGENCY_ELEMENTS = 3;

    /** A setting an agency may have: its dashed name, and the settings inside it if it is a record. */
    private record Setting(String name, Map<String, Setting> inside) {
    }

    /** The settings one agency may have, and whose they are ({@code connector type xml-http}), if anyone's. */
    private record Allowed(Map<String, Setting> settings, String whose) {
    }

    private final Map<String, Setting> common;
    private final Map<String, Map<String, Setting>> byType = new TreeMap<>();
    private final Map<String, Setting> anyType;

    AgencySettingNames(Collection<? extends ConnectorFactory<?>> connectorTypes) {
        common = settingsOf(AgencySettings.class);
        Map<String, Setting> any = common;
        for (ConnectorFactory<?> type : connectorTypes) {
            Map<String, Setting> own = settingsOf(type.settingsType());
            byType.put(type.type(), merge(common, own));
            any = merge(any, own);
        }
        anyType = any;
    }

    /** Each agency id that is not one, and each setting no agency of its connector type has, by key. */
    List<String> problems(Iterable<ConfigurationPropertySource> sources, AgenciesSettings agencies) {
        Map<String, String> unknown = new TreeMap<>();
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(name -> AGENCIES.isAncestorOf(name)
                        && name.getNumberOfElements() > AGENCY_ELEMENTS).forEach(name -> check(name, agencies, unknown));
            }
        }
        return unknown.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    private void check(ConfigurationPropertyName name, AgenciesSettings agencies, Map<String, String> unknown) {
        String id = name.getElement(2, Form.ORIGINAL);
        if (!id.matches(AgenciesSettings.ID)) {
            unknown.putIfAbsent("jembatan.agencies." + id, "an agency id is lower-case letters, digits and dashes"
                    + " (like civil-registry)");
            return;
        }
        Allowed allowed = allowed(agencies.agencies().get(id));
        Map<String, Setting> level = allowed.settings();
        StringBuilder key = new StringBuilder("jembatan.agencies.").append(id);
        for (int i = AGENCY_ELEMENTS; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, Form.UNIFORM);
            key.append('.').append(name.getElement(i, Form.ORIGINAL));
            Setting setting = level.get(element);
            if (setting == null) {
                unknown.putIfAbsent(key.toString(), hint(name, i, level, id, allowed.whose()));
                return;
            }
            if (setting.inside() == null) {
                return; // a value, or the entries of a list or map
            }
            level = setting.inside();
        }
    }

    private Allowed allowed(AgencySettings agency) {
        String type = agency == null ? null : agency.connector();
        if (type != null && byType.containsKey(type)) {
            return new Allowed(byType.get(type), "connector type " + type);
        }
        if (agency == null || (agency.subscribes().isEmpty() && (type == null || type.isBlank()))) {
            return new Allowed(common, "an agency without a connector type");
        }
        return new Allowed(anyType, null);
    }

    private String hint(ConfigurationPropertyName name, int element, Map<String, Setting> level, String id,
                        String whose) {
        String setting = name.getElement(element, Form.UNIFORM);
        if (element == AGENCY_ELEMENTS && (setting.equals("receive") || setting.equals("receives"))) {
            return "not an agency setting; the fields an agency receives are its access policy's"
                    + " jembatan.access-policy.agencies." + id + ".receive";
        }
        List<String> owners = byType.entrySet().stream().filter(t -> has(t.getValue(), name, element))
                .map(Map.Entry::getKey).toList();
        if (!owners.isEmpty() && whose != null) {
            return "not a setting of " + whose + " (a setting of " + String.join(", ", owners) + ")";
        }
        return "unknown setting (known: " + level.values().stream().map(Setting::name).sorted()
                .collect(Collectors.joining(", ")) + ")";
    }

    /** Whether these settings have the one at {@code name}'s elements up to {@code last}. */
    private static boolean has(Map<String, Setting> settings, ConfigurationPropertyName name, int last) {
        Map<String, Setting> level = settings;
        for (int i = AGENCY_ELEMENTS; i <= last; i++) {
            Setting setting = level == null ? null : level.get(name.getElement(i, Form.UNIFORM));
            if (setting == null) {
                return false;
            }
            level = setting.inside();
        }
        return true;
    }

    /** A settings record's components, by their uniform name, with those of nested records inside. */
    private static Map<String, Setting> settingsOf(Class<?> record) {
        Map<String, Setting> settings = new TreeMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            String dashed = DataObjectPropertyName.toDashedForm(component.getName());
            Class<?> type = component.getType();
            settings.put(uniform(dashed), new Setting(dashed, type.isRecord() ? settingsOf(type) : null));
        }
        return settings;
    }

    private static String uniform(String dashed) {
        return dashed.replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Both sets of settings; a record in both has the settings of both inside. */
    private static Map<String, Setting> merge(Map<String, Setting> a, Map<String, Setting> b) {
        Map<String, Setting> merged = new TreeMap<>(a);
        b.forEach((name, setting) -> merged.merge(name, setting, (x, y) -> x.inside() == null || y.inside() == null
                ? x : new Setting(x.name(), merge(x.inside(), y.inside()))));
        return merged;
    }
}
