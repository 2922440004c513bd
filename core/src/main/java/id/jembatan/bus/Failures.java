package id.jembatan.bus;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Failures as they may be logged: by their types, SQL states and stack traces, never by their messages. A database
 * driver's message quotes the values of the statement that failed ("Value too long for column FULL_NAME: 'Siti
 * ...'"), and those are citizens' personal data, which must not reach an ERROR log.
 */
public final class Failures {

    private static final int MAX_CAUSES = 16;

    private Failures() {
    }

    /**
     * A copy of {@code failure} and its causes with the same types (named in the message) and stack traces, and no
     * original message: log this at ERROR instead of the failure itself.
     */
    public static Throwable withoutMessages(Throwable failure) {
        return copy(failure, new IdentityHashMap<>(), 0);
    }

    /**
     * One line for a log: each type in the chain of causes, with the SQL state where there is one, e.g.
     * {@code DataIntegrityViolationException <- JdbcSQLDataException (SQL state 22001)}.
     */
    public static String describe(Throwable failure) {
        StringBuilder line = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null && seen.size() <= MAX_CAUSES;
             t = t.getCause()) {
            if (!line.isEmpty()) {
                line.append(" <- ");
            }
            line.append(label(t, t.getClass().getSimpleName()));
        }
        return line.toString();
    }

    private static Throwable copy(Throwable failure, Map<Throwable, Boolean> seen, int depth) {
        if (failure == null || depth > MAX_CAUSES || seen.put(failure, Boolean.TRUE) != null) {
            return null;
        }
        Redacted copy = new Redacted(label(failure, failure.getClass().getName()),
                copy(failure.getCause(), seen, depth + 1));
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    private static String label(Throwable t, String type) {
        String state = t instanceof SQLException sql && sql.getSQLState() != null
                ? " (SQL state " + sql.getSQLState() + ")" : "";
        return type + state;
    }

    /** Stands for a failure whose message is withheld. */
    private static final class Redacted extends RuntimeException {

        Redacted(String type, Throwable cause) {
            super(type + ": message withheld, it may quote personal data", cause);
        }
    }
}
