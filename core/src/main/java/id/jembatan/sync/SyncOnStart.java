package id.jembatan.sync;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.operations.OperatorAction;
import id.jembatan.schema.model.SyncRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Starts the initial load of each agency configured with {@code sync-on-start: true} that never had a sync job: on its
 * first start with the agency, once; later starts, and restarts during the load (which the runner resumes from its
 * checkpoint), start nothing.
 */
@Component
public class SyncOnStart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SyncOnStart.class);

    private final AgenciesSettings agencies;
    private final SyncJobs jobs;
    private final SyncSettings settings;

    public SyncOnStart(AgenciesSettings agencies, SyncJobs jobs, SyncSettings settings) {
        this.agencies = agencies;
        this.jobs = jobs;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!settings.autoStartup()) {
            return;
        }
        agencies.agencies().forEach((agency, s) -> {
            if (s.syncOnStart() && !jobs.anyFor(agency)) {
                SyncJob job = jobs.start(agency, new SyncRequest(SyncRequest.Scope.everyone(), null),
                        new OperatorAction("configuration", "sync-on-start: true in the agency's configuration",
                                OperatorAction.CONFIGURATION));
                log.info("Initial load of {} started (sync-on-start): sync {}, {} citizens", agency, job.id(),
                        job.total());
            }
        });
    }
}
