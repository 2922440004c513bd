package id.jembatan.bus;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.slf4j.Logger;

/** Names of the broker connection factories the bus wires, and the closing of a dedicated connection. */
public final class BusConnections {

    /**
     * Qualifier of the unpooled factory, for components that hold one connection, session and consumer of their
     * own for their whole life.
     */
    public static final String DEDICATED = "brokerConnectionFactory";

    private BusConnections() {
    }

    /**
     * Closes a component's dedicated connection (and with it its sessions, producers and consumers), if it has one,
     * without throwing: it is being given up, after a failure or at a stop. A failure to close is logged at debug.
     *
     * @param whose the connection's owner, for the log ({@code "the relay's"})
     */
    public static void closeQuietly(Connection connection, Logger log, String whose) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (JMSException e) {
            log.debug("Closing {} broker connection failed", whose, e);
        }
    }
}
