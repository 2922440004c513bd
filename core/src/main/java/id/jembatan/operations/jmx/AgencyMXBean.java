package id.jembatan.operations.jmx;

/** {@code id.jembatan:type=Agency,name=<agency>}: one agency's delivery, for JConsole and Hawtio. */
public interface AgencyMXBean {

    /** Events waiting in the agency's queue (including those being delivered now). */
    long getBacklog();

    /** Events delivered since the bus started. */
    long getDelivered();

    /** Failed delivery attempts since the bus started (a retried event counts each time). */
    long getFailed();

    /** Events in the agency's dead-letter queue. */
    long getDeadLetters();

    /** Code and message of the last failed attempt, or empty. */
    String getLastError();

    /** When the last attempt failed (ISO 8601), or empty. */
    String getLastErrorTime();

    /** Whether delivery is paused (events keep queueing). */
    boolean isPaused();

    void pause() throws Exception;

    void resume() throws Exception;

    /** Moves the dead letters back into the agency's queue; returns how many. */
    int replayDeadLetters() throws Exception;

    /** Deletes the dead letters; returns how many. */
    int purgeDeadLetters() throws Exception;
}
