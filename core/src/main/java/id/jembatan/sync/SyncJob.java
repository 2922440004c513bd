package id.jembatan.sync;

import id.jembatan.schema.model.SyncRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One sync job as operators see it: how many citizens are in scope, how many were put on the agency's queue
 * ({@code sent}), how many the agency took ({@code delivered}) or refused ({@code failed}).
 *
 * @param purpose    what the citizens' access logs say the agency got the data for: {@link #INITIAL_LOAD} for the
 *                   agency's first sync, {@link #RESYNC} after
 * @param checkpoint the last NIK put on the agency's queue (citizens go in NIK order); null before the first
 * @param enqueuedAll every citizen in scope is on the queue; the job completes when the agency has taken them
 */
public record SyncJob(UUID id, String agency, State state, long total, long sent, long delivered, long failed,
                      Integer ratePerSecond, OffsetDateTime startedAt, OffsetDateTime finishedAt, String purpose,
                      SyncRequest.Scope scope, String checkpoint, boolean enqueuedAll) {

    public static final String INITIAL_LOAD = "INITIAL_LOAD";
    public static final String RESYNC = "RESYNC";

    /** Where a job is. */
    public enum State {
        /** Sending, or waiting for the agency to take what was sent. */
        RUNNING,
        /** Running, but the agency's delivery is paused by an operator: nothing moves until it is resumed. */
        PAUSED,
        /** Every citizen in scope was delivered or refused (the refused are in the agency's dead letters). */
        COMPLETED,
        /** Stopped by an operator; what was not delivered by then is not. */
        CANCELLED
    }

    /** Snapshots on the agency's queue not yet taken. */
    public long inFlight() {
        return Math.max(0, sent - delivered - failed);
    }

    public boolean finished() {
        return state == State.COMPLETED || state == State.CANCELLED;
    }

    /** The same job as seen while its agency's delivery is paused. */
    public SyncJob whilePaused() {
        return state == State.RUNNING ? new SyncJob(id, agency, State.PAUSED, total, sent, delivered, failed,
                ratePerSecond, startedAt, finishedAt, purpose, scope, checkpoint, enqueuedAll) : this;
    }

    /**
     * When the job should complete at its pace so far: null before anything was delivered and once it has finished.
     */
    public Instant eta(Instant now) {
        long done = delivered + failed;
        if (finished() || done == 0 || total <= done) {
            return null;
        }
        Duration elapsed = Duration.between(startedAt.toInstant(), now);
        return now.plus(elapsed.multipliedBy(total - done).dividedBy(done));
    }
}
