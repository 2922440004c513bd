package id.jembatan.export;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * FHIR Bulk Data exports ({@code GET /fhir/Patient/$export}, {@code /fhir/$export}; {@code jembatan.bulk-export.*}).
 *
 * @param agencies         the agencies that may export citizens in bulk (each also needs a lookup purpose); none by
 *                         default: reading the whole index is a decision, not a side effect of having a purpose
 * @param directory        where the NDJSON files are written (one folder per job)
 * @param retention        how long a finished job's files and status stay after it finished; then both are removed
 * @param pageSize         citizens read from the index, audited and written together
 * @param resourcesPerFile Patients per NDJSON file before the next file is started
 * @param workers          exports that run at the same time on this instance; more wait their turn
 * @param maxJobsPerAgency exports an agency may have unfinished at once; one more is refused (429)
 * @param retryAfter       the {@code Retry-After} a status poll is given while the job runs
 * @param staleAfter       a running job whose last page is older than this was stopped by a restart or crash of its
 *                         bus: its status answers {@code EXPORT_INTERRUPTED}
 * @param sweepInterval    how often expired jobs are looked for
 */
@ConfigurationProperties(prefix = "jembatan.bulk-export")
public record BulkExportSettings(
        @NotNull @DefaultValue List<String> agencies,
        @NotNull @DefaultValue("./data/exports") Path directory,
        @NotNull @DurationMin(minutes = 1, message = "must be at least 1 minute") @DefaultValue("1h")
        Duration retention,
        @Min(1) @Max(10_000) @DefaultValue("1000") int pageSize,
        @Min(1) @DefaultValue("100000") int resourcesPerFile,
        @Min(1) @Max(16) @DefaultValue("1") int workers,
        @Min(1) @DefaultValue("2") int maxJobsPerAgency,
        @NotNull @DurationMin(seconds = 1, message = "must be at least 1 second") @DefaultValue("2s")
        Duration retryAfter,
        @NotNull @DurationMin(seconds = 10, message = "must be at least 10 seconds") @DefaultValue("2m")
        Duration staleAfter,
        @NotNull @DurationMin(seconds = 1, message = "must be at least 1 second") @DefaultValue("1m")
        Duration sweepInterval) {
}
