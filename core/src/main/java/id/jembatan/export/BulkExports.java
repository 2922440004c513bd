package id.jembatan.export;

import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.agency.AgenciesSettings;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.export.ExportJob.ExportFile;
import id.jembatan.export.ExportJob.State;
import id.jembatan.index.CitizenRecord;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.lookup.LookupService;
import id.jembatan.lookup.PatientView;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.quota.RateLimitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Service;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.FileSystemUtils;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * FHIR Bulk Data exports of the master index (the Bulk Data Access IG's {@code $export}): an agency allowed to
 * ({@link BulkExportSettings#agencies()}) kicks one off for one of its lookup purposes, and the citizens in scope are
 * read from the index page by page in NIK order (keyset pagination, never all in memory), each projected to exactly
 * the fields that purpose allows (as a lookup is), recorded in the audit chain (one entry per citizen, in the
 * citizen's access log), then written as a Patient line to NDJSON files under {@link BulkExportSettings#directory()}.
 * A page is audited before its lines are written: nothing reaches a file without its audit entry.
 *
 * <p>Jobs live in the database (their status answers from any instance), run on a small pool of this instance's
 * threads and are not resumed after a restart: a job whose instance stopped shows no sign of life for
 * {@link BulkExportSettings#staleAfter()} and is then {@link State#FAILED} with {@code EXPORT_INTERRUPTED}, its partial
 * files deleted; the agency kicks off a new one. Finished jobs and their files are removed after
 * {@link BulkExportSettings#retention()}.
 */
@Service
@DependsOn("configurationCheck")
public class BulkExports implements DisposableBean {

    /** The channel of the audit entries of an export. */
    public static final String CHANNEL = "FHIR_EXPORT";

    /** The outcome of an exported citizen's audit entry. */
    public static final String EXPORTED = "EXPORTED";

    /** The one resource type an export holds. */
    public static final String PATIENT = "Patient";

    private static final Logger log = LoggerFactory.getLogger(BulkExports.class);

    private final BulkExportSettings settings;
    private final ExportJobs jobs;
    private final MasterCitizenIndex index;
    private final AccessPolicy policy;
    private final AuditTrail audit;
    private final Clock clock;
    private final ExecutorService workers;
    private final ScheduledExecutorService housekeeping;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();

    public BulkExports(BulkExportSettings settings, AgenciesSettings agencies, ExportJobs jobs,
                       MasterCitizenIndex index, AccessPolicy policy, AuditTrail audit, Clock clock) {
        InvalidConfigurationException.throwIfAny(problems(settings, agencies));
        this.settings = settings;
        this.jobs = jobs;
        this.index = index;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(settings.workers(), threads("bulk-export-"));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(threads("bulk-export-housekeeping-"));
        long heartbeat = Math.max(1, settings.staleAfter().toMillis() / 4);
        housekeeping.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::sweep, 0, settings.sweepInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** What is wrong with the export settings beyond their own constraints: an agency that is not configured. */
    public static List<String> problems(BulkExportSettings settings, AgenciesSettings agencies) {
        return settings.agencies().stream().filter(a -> !agencies.agencies().containsKey(a))
                .map(a -> "jembatan.bulk-export.agencies: unknown agency '" + a + "' (configured agencies: "
                        + agencies.agencies().keySet() + ")")
                .toList();
    }

    /**
     * Kicks off an export of the citizens changed after {@code since} (all when null) for {@code agency}, with the
     * fields its lookup purpose {@code purpose} allows.
     *
     * @param request the kick-off URL, repeated in the completion manifest
     * @throws JembatanException {@code POLICY_DENIED} when the agency may not export or has no such purpose,
     *                           {@code RATE_LIMITED} when it has {@link BulkExportSettings#maxJobsPerAgency()}
     *                           exports running
     */
    public ExportJob start(String agency, String purpose, String request, OffsetDateTime since) {
        if (!settings.agencies().contains(agency)) {
            throw new JembatanException(ErrorCode.POLICY_DENIED, "agency '" + agency
                    + "' may not export citizens in bulk");
        }
        policy.readable(agency, purpose);
        OffsetDateTime now = now();
        failStale(now);
        if (jobs.running(agency).size() >= settings.maxJobsPerAgency()) {
            throw new RateLimitedException("the agency has " + settings.maxJobsPerAgency()
                    + " exports running; wait for one to finish or cancel one", settings.retryAfter());
        }
        ExportJob job = new ExportJob(UUID.randomUUID(), agency, purpose, request, since, State.RUNNING, now,
                index.count(since), 0, null, now, null, List.of());
        jobs.insert(job);
        held.add(job.id());
        log.info("Bulk export {} of {} citizens for {} ({}) kicked off", job.id(), job.total(), agency, purpose);
        workers.execute(() -> run(job));
        return job;
    }

    /**
     * The job {@code id} of {@code agency}, as its status poll answers it; empty when there is none (never kicked off,
     * cancelled, expired, or another agency's).
     */
    public Optional<ExportJob> job(String agency, UUID id) {
        failStale(now());
        return jobs.find(id).filter(job -> job.agency().equals(agency));
    }

    /**
     * Cancels the job {@code id} of {@code agency} (running or finished) and deletes its files.
     *
     * @return whether there was such a job
     */
    public boolean cancel(String agency, UUID id) {
        Optional<ExportJob> job = jobs.find(id).filter(j -> j.agency().equals(agency));
        if (job.isEmpty() || !jobs.delete(id)) {
            return false;
        }
        deleteFiles(id);
        log.info("Bulk export {} of {} cancelled", id, agency);
        return true;
    }

    /** File {@code seq} of the completed job {@code id} of {@code agency}. */
    public Optional<Path> file(String agency, UUID id, int seq) {
        return job(agency, id).filter(job -> job.state() == State.COMPLETED)
                .filter(job -> job.files().stream().anyMatch(f -> f.seq() == seq))
                .map(job -> fileOf(id, seq))
                .filter(Files::isRegularFile);
    }

    /**
     * Removes the jobs, and their files, that finished before {@code now} minus the retention.
     *
     * @return how many were removed
     */
    public int removeExpired(OffsetDateTime now) {
        failStale(now);
        int removed = 0;
        for (UUID id : jobs.finishedBefore(now.minus(settings.retention()))) {
            if (jobs.delete(id)) {
                removed++;
            }
            deleteFiles(id);
        }
        if (removed > 0) {
            log.info("Removed {} bulk exports older than {}", removed, settings.retention());
        }
        return removed;
    }

    /**
     * Stops the exports of this instance; those it held are failed with {@code EXPORT_INTERRUPTED} at once, rather
     * than after {@link BulkExportSettings#staleAfter()}, and their partial files deleted.
     */
    @Override
    public void destroy() {
        housekeeping.shutdownNow();
        OffsetDateTime now = now();
        for (UUID id : Set.copyOf(held)) {
            try {
                if (jobs.finish(id, State.FAILED, ErrorCode.EXPORT_INTERRUPTED.name(), 0, now)) {
                    log.warn("Bulk export {} interrupted by the bus's shutdown", id);
                }
            } catch (RuntimeException e) {
                log.warn("Bulk export {} left running at shutdown ({}): it fails once stale", id,
                        e.getClass().getSimpleName());
            }
        }
        workers.shutdownNow();
    }

    private void run(ExportJob job) {
        try {
            if (!export(job)) {
                deleteFiles(job.id());
            }
        } catch (RuntimeException | IOException e) {
            log.error("Bulk export {} failed", job.id(), e);
            jobs.finish(job.id(), State.FAILED, ErrorCode.INTERNAL_ERROR.name(), 0, now());
            deleteFiles(job.id());
        } finally {
            held.remove(job.id());
        }
    }

    /** @return false when the job was cancelled while it ran */
    private boolean export(ExportJob job) throws IOException {
        Set<String> fields = policy.readable(job.agency(), job.purpose());
        Files.createDirectories(directoryOf(job.id()));
        IParser parser = HealthFhir.context().newJsonParser().setPrettyPrint(false);
        long exported = 0;
        int seq = 1;
        long inFile = 0;
        BufferedWriter out = null;
        String after = null;
        try {
            for (List<CitizenRecord> page = index.page(null, job.since(), settings.pageSize()); !page.isEmpty();
                 page = index.page(after, job.since(), settings.pageSize())) {
                // Still wanted? Asked before the page is audited: a job cancelled (or failed at shutdown) while it
                // waited for a worker or wrote the previous page records no citizen it will not write.
                if (Thread.currentThread().isInterrupted() || !jobs.progress(job.id(), exported, now())) {
                    return false;
                }
                List<ObjectNode> views = new ArrayList<>(page.size());
                List<AuditRecord> entries = new ArrayList<>(page.size());
                for (CitizenRecord record : page) {
                    ObjectNode view = LookupService.project(record, fields);
                    List<String> given = new ArrayList<>();
                    view.fieldNames().forEachRemaining(given::add);
                    views.add(view);
                    entries.add(new AuditRecord(job.agency(), record.citizen().nik(), AuditAction.BULK_EXPORT,
                            job.purpose(), given, CHANNEL, EXPORTED, job.id().toString()));
                }
                audit.appendAll(entries);
                for (ObjectNode view : views) {
                    if (out == null) {
                        out = Files.newBufferedWriter(fileOf(job.id(), seq), StandardCharsets.UTF_8);
                    }
                    out.write(parser.encodeResourceToString(PatientView.toPatient(view)));
                    out.write('\n');
                    inFile++;
                    if (inFile == settings.resourcesPerFile()) {
                        out.close();
                        out = null;
                        if (!jobs.addFile(job.id(), new ExportFile(seq, inFile))) {
                            return false;
                        }
                        seq++;
                        inFile = 0;
                    }
                }
                exported += page.size();
                after = page.get(page.size() - 1).citizen().nik();
            }
            if (out != null) {
                out.close();
                out = null;
                if (!jobs.addFile(job.id(), new ExportFile(seq, inFile))) {
                    return false;
                }
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        boolean finished = jobs.finish(job.id(), State.COMPLETED, null, exported, now());
        if (finished) {
            log.info("Bulk export {} for {} completed: {} citizens", job.id(), job.agency(), exported);
        }
        return finished;
    }

    private void heartbeat() {
        try {
            jobs.heartbeat(Set.copyOf(held), now());
        } catch (RuntimeException e) {
            log.warn("Bulk export heartbeat failed: {}", e.getClass().getSimpleName());
        }
    }

    private void sweep() {
        try {
            removeExpired(now());
        } catch (RuntimeException e) {
            log.warn("Bulk export sweep failed: {}", e.getClass().getSimpleName());
        }
    }

    private void failStale(OffsetDateTime now) {
        int failed = jobs.failStale(now.minus(settings.staleAfter()), ErrorCode.EXPORT_INTERRUPTED.name(), now);
        if (failed > 0) {
            log.warn("{} bulk exports were interrupted by a restart of their bus and are failed", failed);
        }
    }

    private static CustomizableThreadFactory threads(String prefix) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
        factory.setDaemon(true);
        return factory;
    }

    private Path directoryOf(UUID id) {
        return settings.directory().resolve(id.toString());
    }

    private Path fileOf(UUID id, int seq) {
        return directoryOf(id).resolve(PATIENT + "-" + seq + ".ndjson");
    }

    private void deleteFiles(UUID id) {
        try {
            FileSystemUtils.deleteRecursively(directoryOf(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
