package id.jembatan.operations.jmx;

/**
 * {@code id.jembatan:type=Sync,agency=<agency>,name=<job id>}: one sync job (an initial load or resync), the same
 * figures as {@code GET /api/v1/operations/agencies/{agency}/syncs/{id}}.
 */
public interface SyncMXBean {

    String getId();

    String getAgency();

    /** RUNNING, PAUSED (the agency's delivery is paused), COMPLETED or CANCELLED. */
    String getState();

    /** Citizens in scope when the job started (once completed: the citizens it sent). */
    long getTotal();

    /** Citizens put on the agency's queue. */
    long getSent();

    /** Citizens the agency took. */
    long getDelivered();

    /** Citizens the agency refused (in its dead letters). */
    long getFailed();

    /** The throttle, 0 when there is none. */
    int getRatePerSecond();

    /** When the job started (ISO 8601). */
    String getStartedAt();

    /** When it should complete at its pace so far (ISO 8601), or empty. */
    String getEta();

    /** Stops the job: nothing more is sent, what is still queued is dropped. */
    void cancel();
}
