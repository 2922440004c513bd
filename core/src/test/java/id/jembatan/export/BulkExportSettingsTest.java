package id.jembatan.export;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySettings;
import id.jembatan.settings.SettingsProblems;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk export settings as an operator writes them, checked at start. */
class BulkExportSettingsTest {

    /** No settings at all. Result: the defaults, no agency may export, and no problem. */
    @Test
    void theDefaultsLetNobodyExport() {
        BulkExportSettings defaults = bind(Map.of());

        assertThat(defaults.agencies()).isEmpty();
        assertThat(defaults.retention()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.directory().normalize()).isEqualTo(Path.of("data", "exports"));
        assertThat(SettingsProblems.of("jembatan.bulk-export", defaults)).isEmpty();
        assertThat(BulkExports.problems(defaults, new AgenciesSettings(Map.of()))).isEmpty();
    }

    /**
     * A retention of a few seconds, no page, no worker, a stale time shorter than a page could take, an agency that is
     * not configured. Result: one problem per setting, each naming its key; all of them together.
     */
    @Test
    void everyProblemNamesItsKey() {
        BulkExportSettings settings = bind(Map.of(
                "jembatan.bulk-export.agencies[0]", "health",
                "jembatan.bulk-export.agencies[1]", "hospital-x",
                "jembatan.bulk-export.retention", "5s",
                "jembatan.bulk-export.page-size", "0",
                "jembatan.bulk-export.workers", "0",
                "jembatan.bulk-export.stale-after", "1s"));

        assertThat(SettingsProblems.of("jembatan.bulk-export", settings)).containsExactly(
                "jembatan.bulk-export.page-size must be greater than or equal to 1",
                "jembatan.bulk-export.retention must be at least 1 minute",
                "jembatan.bulk-export.stale-after must be at least 10 seconds",
                "jembatan.bulk-export.workers must be greater than or equal to 1");
        AgenciesSettings agencies = new AgenciesSettings(Map.of("health", new AgencySettings(List.of(), List.of(), List.of(),
                "fhir", null, List.of(), List.of(), List.of(), false)));
        assertThat(BulkExports.problems(settings, agencies)).singleElement().asString()
                .startsWith("jembatan.bulk-export.agencies: unknown agency 'hospital-x'");
    }

    private static BulkExportSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("jembatan.bulk-export", BulkExportSettings.class);
    }
}
