package id.jembatan.ingest;

/** How an event or a request reached the bus; recorded with every applied event. */
public enum Channel {
    HTTP,
    JMS
}
