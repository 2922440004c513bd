package id.jembatan.sync;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Sync jobs, the initial loads and resyncs of agencies ({@code jembatan.sync.*}).
 *
 * @param autoStartup      run the jobs (start, resume after a restart) when the application starts
 * @param pageSize         citizens put on the agency's queue in one broker transaction
 * @param window           most snapshots of one job on the agency's queue not yet delivered: the job waits for the
 *                         agency to take them, so live events are never queued behind more than this many, and a
 *                         paused or unreachable agency holds the job without failing it
 * @param maximumNiks      most NIKs a job's {@code niks} scope may list
 * @param pollInterval     how often the runner looks for work when nothing woke it (progress of other instances'
 *                         jobs, an agency that came back)
 * @param retryDelay       wait after the broker or the database failed
 */
@ConfigurationProperties(prefix = "jembatan.sync")
public record SyncSettings(@DefaultValue("true") boolean autoStartup,
                           @Min(1) @Max(10_000) @DefaultValue("500") int pageSize,
                           @Min(1) @DefaultValue("5000") int window,
                           @Min(1) @Max(100_000) @DefaultValue("10000") int maximumNiks,
                           @NotNull @DefaultValue("500ms") Duration pollInterval,
                           @NotNull @DefaultValue("2s") Duration retryDelay) {
}
