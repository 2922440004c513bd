package id.jembatan.api.fhir;

import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.export.ExportJob;
import id.jembatan.export.ExportJob.ExportFile;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The completion manifest of a FHIR Bulk Data export, as the IG (STU2) defines it. */
class BulkExportProviderTest {

    /**
     * A completed export with two files. Result: the IG's manifest: {@code transactionTime} as a FHIR instant in
     * UTC, the kick-off request, {@code requiresAccessToken: true}, one output per file in order with its type, URL
     * under the server's base and count, and an empty {@code error}.
     */
    @Test
    void theManifestListsEachFileWithItsCount() {
        UUID id = UUID.fromString("6c1e2f3a-0000-4000-8000-000000000001");
        OffsetDateTime began = OffsetDateTime.of(2026, 12, 5, 17, 15, 0, 0, ZoneOffset.ofHours(7));
        ExportJob job = new ExportJob(id, "health", "PATIENT_IDENTIFICATION",
                "https://bus.example/fhir/Patient/$export", null, ExportJob.State.COMPLETED, began, 3, 3, null, began,
                began, List.of(new ExportFile(1, 2), new ExportFile(2, 1)));

        ObjectNode manifest = BulkExportProvider.manifest(job, "https://bus.example/fhir");

        assertThat(manifest.path("transactionTime").asText()).isEqualTo("2026-12-05T10:15:00Z");
        assertThat(manifest.path("request").asText()).isEqualTo("https://bus.example/fhir/Patient/$export");
        assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.path("output")).hasSize(2);
        assertThat(manifest.path("output").get(0).path("type").asText()).isEqualTo("Patient");
        assertThat(manifest.path("output").get(0).path("url").asText())
                .isEqualTo("https://bus.example/fhir/$export-file?_jobId=" + id + "&_file=1");
        assertThat(manifest.path("output").get(0).path("count").asLong()).isEqualTo(2);
        assertThat(manifest.path("output").get(1).path("count").asLong()).isEqualTo(1);
        assertThat(manifest.path("error").isArray()).isTrue();
        assertThat(manifest.path("error")).isEmpty();
    }
}
