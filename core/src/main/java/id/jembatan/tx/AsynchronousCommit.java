package id.jembatan.tx;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A PostgreSQL transaction that commits without waiting for its WAL to reach the disk
 * ({@code SET LOCAL synchronous_commit = off}: for that transaction only, the connection goes back to the pool as it
 * came). Only for a transaction whose loss in a crash of the database repeats work the bus already tolerates
 * repeating (a relay's delete of rows the broker already holds, which its duplicate detection drops when they are
 * sent again) or forgets something that is not acknowledged data (a quota's token); never for what a caller was told
 * is kept.
 */
public final class AsynchronousCommit {

    /** The statement, for a caller that runs it on a plain JDBC connection. */
    public static final String STATEMENT = "SET LOCAL synchronous_commit = off";

    private AsynchronousCommit() {
    }

    /** Lets the current transaction on {@code jdbc} commit without waiting for the disk. */
    public static void forThisTransaction(JdbcClient jdbc) {
        jdbc.sql(STATEMENT).update();
    }
}
