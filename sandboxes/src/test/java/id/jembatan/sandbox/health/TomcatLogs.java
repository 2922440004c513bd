package id.jembatan.sandbox.health;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tomcat's start and stop messages (java.util.logging, INFO) would fill the test output for every sandbox started;
 * the tests keep only its warnings. The application routes them into its own logging instead.
 */
public final class TomcatLogs {

    /** Held here because java.util.logging keeps loggers only weakly: a collected logger forgets its level. */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("org.apache.catalina"),
            Logger.getLogger("org.apache.coyote"), Logger.getLogger("org.apache.tomcat"));

    private TomcatLogs() {
    }

    public static void quiet() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
