package id.jembatan.bus;

/** Names of the broker connection factories the bus wires. */
public final class BusConnections {

    /**
     * Qualifier of the unpooled factory, for components that hold one connection, session and consumer of their
     * own for their whole life.
     */
    public static final String DEDICATED = "brokerConnectionFactory";

    private BusConnections() {
    }
}
