package id.jembatan.operations.jmx;

/**
 * {@code id.jembatan:type=Agency,name=<agency>}: one agency's delivery, for JConsole and Hawtio. Every change is an
 * audit entry naming the operator (signed in to the console; {@code jmx:local} for a local JMX client).
 */
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

    /** Whether the agency is suspended (everything it presents refused, delivery held). */
    boolean isSuspended();

    /** Suspends the agency (a reason is required); false if it was suspended already. */
    boolean suspend(String reason) throws Exception;

    /** Reinstates the suspended agency; false if it was not suspended. */
    boolean reinstate(String reason) throws Exception;
}
