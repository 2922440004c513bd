package id.jembatan.export;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One bulk export as its status poll reports it.
 *
 * @param request         the kick-off request's URL, as the completion manifest repeats it
 * @param since           {@code _since}: only citizens changed after it, or null for all
 * @param transactionTime when the export began: every citizen registered before it is in the files, each as the index
 *                        held it when its page was read (never older than this time)
 * @param total           citizens in scope when the export began
 * @param exported        citizens written so far
 * @param errorCode       why a {@link State#FAILED} job failed (an {@code ErrorCode} name)
 * @param files           the NDJSON files written so far, in order
 */
public record ExportJob(UUID id, String agency, String purpose, String request, OffsetDateTime since, State state,
                        OffsetDateTime transactionTime, long total, long exported, String errorCode,
                        OffsetDateTime heartbeatAt, OffsetDateTime finishedAt, List<ExportFile> files) {

    public ExportJob {
        files = List.copyOf(files);
    }

    /** Where a job stands. A cancelled job is deleted, not kept in a state of its own. */
    public enum State {
        /** Queued or writing files. */
        RUNNING,
        /** Every file is written: the manifest lists them. */
        COMPLETED,
        /** Stopped without its files ({@link #errorCode()} says why); they are deleted. */
        FAILED
    }

    /** One NDJSON file of a job: its position (from 1) and how many resources it holds. */
    public record ExportFile(int seq, long resources) {
    }
}
